package dev.weft.server;

import dev.weft.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack (slowloris): open TCP connections and never finish the HTTP request — say nothing at all, or send
 * the headers a byte at a time — so that each holds a connection without ever reaching a WebSocket session.
 * Defence: a connection must deliver a complete request within {@code client.stale_close_delay}; otherwise
 * it is closed. (An upgraded socket that never sends connect is closed by the session's stale check, see
 * {@link SilentSocketFloodTest}.)
 */
class SlowlorisRequestTest {
    private static final Duration DEADLINE = Duration.ofMillis(700);

    private WeftServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(ClientOptions.builder().staleCloseDelay(DEADLINE));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private Socket open() throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    @Test
    void aSocketThatSaysNothingIsClosed() throws Exception {
        try (Socket socket = open()) {
            long started = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("server closed the connection").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50));
        }
        assertThat(server.refusals().count("http.request_timeout")).isEqualTo(1);
    }

    @Test
    void headersSentAByteAtATimeDoNotKeepTheConnection() throws Exception {
        byte[] request = ("GET /connection/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nX-Padding: " + "x".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            boolean closed = false;
            for (int i = 0; i < request.length && !closed; i++) {
                try {
                    out.write(request[i]);
                    out.flush();
                    Thread.sleep(20);
                } catch (java.io.IOException e) {
                    closed = true; // reset by the server
                }
            }
            InputStream in = socket.getInputStream();
            if (!closed) {
                assertThat(in.read()).as("the headers never completed in time").isEqualTo(-1);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.refusals().count("http.request_timeout") == 1);
    }

    @Test
    void keepAliveRequestsInTimeAreServed() throws Exception {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                Thread.sleep(DEADLINE.toMillis() / 2);
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] head = new byte[12];
                int n = in.readNBytes(head, 0, head.length);
                assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                drainResponse(in);
            }
        }
        assertThat(server.refusals().count("http.request_timeout")).isZero();
    }

    /** Reads the rest of a small response (headers + a body of Content-Length bytes). */
    private static void drainResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }
}
