package dev.weft.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack (or just success): more clients than the process has file descriptors. At the open-file limit the
 * kernel still completes the next client's TCP handshake but the server cannot accept it: the client hangs,
 * {@code /health} times out (and a liveness probe restarts a busy node), and every failed accept used to log a
 * stack trace. Defence: without {@code client.connection_limit} the node derives one from the open-file limit,
 * so the next client gets the clear 503 / code 106 while {@code /health} and the API keep answering; failed
 * accepts (silent sockets beyond every limit) are logged once per interval; the node recovers when they go.
 *
 * <p>Runs Weft in a child JVM under {@code ulimit -n 256}, from this test's class path.
 */
class OpenFileLimitTest {
    private static final int OPEN_FILE_LIMIT = 256;
    private static final String KEY = "fd-test-key";
    private static final Pattern DERIVED = Pattern.compile("client\\.connection_limit (\\d+) \\(from the open-file limit (\\d+)");

    @TempDir
    Path dir;
    private Process weft;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<RawWebSocket> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawWebSocket c : clients) {
            c.close();
        }
        for (Socket s : sockets) {
            s.close();
        }
        if (weft != null) {
            weft.destroy();
            if (!weft.waitFor(10, TimeUnit.SECONDS)) {
                weft.destroyForcibly();
            }
        }
    }

    @Test
    void atTheOpenFileLimitClientsAreRefusedWith503AndHealthAndTheApiStillAnswer() throws Exception {
        int port = freePort();
        Path log = dir.resolve("weft.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        weft = new ProcessBuilder("bash", "-c", "ulimit -n " + OPEN_FILE_LIMIT + " && exec \"$0\" \"$@\"", java,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.weft.server.Main",
                "serve", "--address", "127.0.0.1", "--port", String.valueOf(port),
                "--set", "client.insecure=true", "--set", "http_api.key=" + KEY,
                "--set", "client.stale_close_delay=1s", "--set", "engine.type=memory")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> status(port, health()) == 200);

        RawWebSocket refused = null;
        for (int i = 0; i < OPEN_FILE_LIMIT && refused == null; i++) {
            RawWebSocket c = attemptWithin3s(port, i);
            if (c.status() == 101) {
                c.sendText("{\"id\":1,\"connect\":{}}");
                clients.add(c);
            } else {
                refused = c;
            }
        }
        assertThat(refused).as("a refusal after %d connections", clients.size()).isNotNull();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(TestServers.json(refused.body()).path("error").path("code").asInt()).isEqualTo(106);
        refused.close();
        assertThat(status(port, health())).as("/health at the limit").isEqualTo(200);
        assertThat(status(port, info())).as("the server API at the limit").isEqualTo(200);
        Matcher derived = DERIVED.matcher(Files.readString(log));
        assertThat(derived.find()).as("the derived limit is logged at start:\n%s", Files.readString(log)).isTrue();
        int limit = Integer.parseInt(derived.group(1));
        System.out.printf("ulimit -n %d: %d WebSocket connections admitted (derived limit %d), then %d%n",
                OPEN_FILE_LIMIT, clients.size(), limit, refused.status());
        assertThat(Integer.parseInt(derived.group(2))).isEqualTo(OPEN_FILE_LIMIT);
        assertThat(clients).hasSize(limit);

        // Beyond every limit: silent sockets that hold descriptors until the request deadline (1 s) closes them,
        // while the backlog keeps the rest waiting — accept fails with "Too many open files".
        for (int i = 0; i < 200; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            sockets.add(s);
        }
        Thread.sleep(3_000);
        String output = Files.readString(log);
        long acceptLines = output.lines().filter(l -> l.contains("cannot accept connections")).count();
        System.out.printf("accept failures over 3 s of exhaustion: %d log line(s)%n", acceptLines);
        assertThat(acceptLines).as("accept failures logged once per interval:\n%s", output).isEqualTo(1);
        assertThat(output).doesNotContain("reached at the tail of the pipeline").doesNotContain("\tat io.netty");

        for (Socket s : sockets) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> status(port, health()) == 200);
    }

    /** A WebSocket attempt that must be answered within 3 s: a client stuck at accept fails here. */
    private static RawWebSocket attemptWithin3s(int port, int index) throws Exception {
        var attempt = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return RawWebSocket.attempt(port, "127.0.0.1");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return attempt.get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("connection " + (index + 1) + " not answered within 3 s: hung at accept", e);
        }
    }

    private static String health() {
        return "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    private static String info() {
        return "POST /api/info HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY + "\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}";
    }

    /** The status of one request on a fresh connection; fails after 3 s without an answer. */
    private static int status(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
