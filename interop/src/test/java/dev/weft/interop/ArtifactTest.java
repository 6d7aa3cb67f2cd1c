package dev.weft.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar {@code ./mvnw package} leaves in {@code dist/target}, used as a user would: {@code java -jar
 * weft.jar} with the verbs of the CLI, answering {@code /health} and {@code /ready}, and a token from
 * {@code gentoken} accepted by the real centrifuge-js client.
 */
class ArtifactTest {
    static final Path DIST = Path.of(System.getProperty("weft.interop.distDir", "../dist/target")).toAbsolutePath()
            .normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void runnableJarGeneratesAConfigAndATokenACentrifugeClientAccepts() throws Exception {
        Path jar = DIST.resolve("weft.jar");
        assertThat(jar).as("built by ./mvnw package (module dist)").isRegularFile();
        List<String> java = javaJar(jar);

        assertThat(run(java, "version").stdout()).startsWith("weft ");
        assertThat(run(java, "genconfig", "-c", "config.json").exitCode()).isZero();
        assertThat(run(java, "checkconfig", "-c", "config.json").exitCode()).isZero();
        Ran token = run(java, "gentoken", "-c", "config.json", "-u", "alice", "-t", "600");
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        assertThat(token.stdout().strip()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        try (Served weft = serve(work, java, "--config", "config.json", "--set", "engine.type=memory",
                "--set", "docs.store=memory", "--set", "channel.without_namespace.allow_subscribe_for_client=true")) {
            NodeScript.ensureInstalled();
            NodeScript.Result result = NodeScript.runScript("gentoken.mjs", Map.of(
                    "WEFT_URL", "ws://127.0.0.1:" + weft.port + "/connection/websocket",
                    "WEFT_API_URL", "http://127.0.0.1:" + weft.port + "/api",
                    "WEFT_API_KEY", "unused", "WEFT_TOKEN", token.stdout().strip(),
                    "WEFT_TIMEOUT_MS", "50000"), Duration.ofSeconds(60));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
        }
    }

    /** {@code java -jar weft.jar} on the JDK running this test (≥ 21) with the flags the launcher scripts pass. */
    static List<String> javaJar(Path jar) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    record Ran(int exitCode, String stdout, String stderr) {
    }

    private Ran run(List<String> launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Ran(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A server started by {@code launcher serve ARGS --port P}; closing it sends SIGTERM and waits. */
    record Served(Process process, int port, Path log) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
    }

    /** Starts {@code launcher serve args} on a free port in {@code work}; waits for {@code /ready}. */
    static Served serve(Path work, List<String> launcher, String... args) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(launcher);
        command.add("serve");
        command.addAll(List.of(args));
        command.addAll(List.of("--port", Integer.toString(port)));
        Path log = work.resolve("serve-" + port + ".log");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Served served = new Served(process, port, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (status(http, port, "/ready") != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("not ready: " + String.join(" ", command) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
        assertThat(status(http, port, "/health")).isEqualTo(200);
        return served;
    }

    private static int status(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1; // not listening yet
        }
    }
}
