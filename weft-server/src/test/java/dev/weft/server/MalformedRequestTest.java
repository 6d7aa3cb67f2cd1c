package dev.weft.server;

import dev.weft.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: a malformed request (a 64 KiB header, {@code Content-Length} together with {@code Transfer-Encoding})
 * followed by a valid one on the same connection — request smuggling, or a decoder left discarding bytes so
 * the valid request is swallowed; and a body far beyond the limit that the server would otherwise read to the
 * end after its 413. Defence: a 400 or 413 closes the connection after the answer, and nothing more is read.
 */
class MalformedRequestTest {
    private static final String VALID = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

    private WeftServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(ClientOptions.builder());
    }

    @AfterEach
    void stop() {
        server.close(Duration.ofSeconds(2));
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    @Test
    void aHeaderOf64KibIsAnswered400AndTheConnectionClosed() throws Exception {
        String malformed = "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(64 * 1024) + "\r\n\r\n";
        assertClosedAfter400(malformed + VALID);
    }

    @Test
    void contentLengthTogetherWithTransferEncodingIsAnswered400AndTheConnectionClosed() throws Exception {
        String smuggling = "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assertClosedAfter400(smuggling + VALID);
    }

    private void assertClosedAfter400(String requests) throws Exception {
        try (Socket socket = open()) {
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).as("one answer, then the connection is closed").doesNotContain("HTTP/1.1 200");
            assertThat(answer).containsIgnoringCase("connection: close");
        }
        // The server still serves a fresh connection.
        try (Socket socket = open()) {
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBodyBeyondTheLimitIsAnswered413AndNotRead() throws Exception {
        long declared = 20L * 1024 * 1024 * 1024;
        long written = 0;
        long cap = 512L * 1024 * 1024;
        String head;
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] status = socket.getInputStream().readNBytes(12);
            head = new String(status, StandardCharsets.US_ASCII);
            byte[] chunk = new byte[64 * 1024];
            try {
                while (written < cap) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (IOException e) {
                // the server closed the connection: the body is no longer read
            }
        }
        System.out.printf("413: %d MiB of a %d GiB body written before the server closed%n",
                written >> 20, declared >> 30);
        assertThat(head).isEqualTo("HTTP/1.1 413");
        assertThat(written).as("bytes the client could push before the server closed").isLessThan(cap);
    }

    /** Everything until the server closes (a reset counts as closed), failing on a 5 s silence. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open 5 s after: " + all.toString(StandardCharsets.US_ASCII), e);
        } catch (IOException e) {
            // reset
        }
        return all.toString(StandardCharsets.US_ASCII);
    }
}
