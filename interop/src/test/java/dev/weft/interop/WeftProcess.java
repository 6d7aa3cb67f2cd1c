package dev.weft.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Weft as a child JVM ({@code dev.weft.server.Main serve}, this test's classpath) on a fixed loopback port, so
 * a test can kill it with SIGKILL and start it again on the same port and data: what an in-process server
 * cannot show. Output goes to a log file whose tail is added to failure messages.
 *
 * <p>Not thread-safe: one test drives it (the Node-event callback and the test thread take turns).
 */
final class WeftProcess implements AutoCloseable {

    /** Generous: several nodes start at once on a shared 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final List<String> serveArgs;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private WeftProcess(int port, List<String> serveArgs, Path log) {
        this.port = port;
        this.serveArgs = serveArgs;
        this.log = log;
    }

    /** Starts Weft with {@code --config configFile} on a free port, logging to {@code log}. */
    static WeftProcess start(Path configFile, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        WeftProcess weft = new WeftProcess(port, List.of("--config", configFile.toString(), "--port", String.valueOf(port)), log);
        weft.start();
        return weft;
    }

    int port() {
        return port;
    }

    /** Starts the process (again) and waits until {@code /health} answers 200. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Weft is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.server.Main", "serve"));
        command.addAll(serveArgs);
        starts++;
        Files.writeString(log, "=== start " + starts + ": " + String.join(" ", command) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new AssertionError("Weft exited with " + process.exitValue() + " while starting\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Weft did not become healthy within " + START_TIMEOUT + "\n" + logTail());
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to clients. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("Weft (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
    }

    private boolean healthy() throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines Weft logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- " + log + " (last 60 lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "--- " + log + " unreadable: " + e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
