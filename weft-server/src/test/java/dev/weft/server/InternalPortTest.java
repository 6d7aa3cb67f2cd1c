package dev.weft.server;

import dev.weft.core.ClientOptions;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http_server.internal_port}: the server API, {@code /api/docs} and {@code /health} are served on the
 * internal listener only, the client endpoints on the public one (Centrifugo's semantics), so one firewall
 * rule keeps the API off the clients' network. And attack: guessing the API key — an address that sends too
 * many wrong keys gets 429 for every request, even with the right key, while other addresses are served.
 */
class InternalPortTest {
    private static final String KEY = "internal-api-key";
    private static final String PUBLISH = "{\"channel\":\"news\",\"data\":{}}";

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private WeftServer start(HttpServerConfig http) {
        server = TestServers.start(ClientOptions.builder(), c -> c.withHttpServer(http)
                .withHttpApi(new HttpApiConfig(KEY, false)));
        return server;
    }

    @Test
    void withAnInternalPortTheApiAndHealthAreServedThereOnly() throws Exception {
        start(new HttpServerConfig("127.0.0.1", 0).withInternal("", 0));
        int external = server.port();
        int internal = server.internalPort();
        assertThat(internal).isNotEqualTo(external);

        assertThat(status(external, "127.0.0.1", post("/api/publish", KEY))).as("public /api").isEqualTo(404);
        assertThat(status(external, "127.0.0.1", post("/api/openapi.json", KEY))).isEqualTo(404);
        assertThat(status(external, "127.0.0.1", get("/health"))).as("public /health").isEqualTo(404);
        assertThat(status(internal, "127.0.0.1", post("/api/publish", KEY))).as("internal /api").isEqualTo(200);
        assertThat(status(internal, "127.0.0.1", get("/health"))).isEqualTo(200);

        try (RawWebSocket ws = RawWebSocket.attempt(external, "127.0.0.1")) {
            assertThat(ws.status()).as("clients connect on the public port").isEqualTo(101);
        }
        try (RawWebSocket ws = RawWebSocket.attempt(internal, "127.0.0.1")) {
            assertThat(ws.status()).as("and not on the internal one").isEqualTo(404);
        }
    }

    @Test
    void withoutAnInternalPortEverythingSharesOnePort() throws Exception {
        start(new HttpServerConfig("127.0.0.1", 0));
        assertThat(server.internalPort()).isEqualTo(server.port());
        assertThat(status(server.port(), "127.0.0.1", post("/api/publish", KEY))).isEqualTo(200);
        assertThat(status(server.port(), "127.0.0.1", get("/health"))).isEqualTo(200);
    }

    @Test
    void wrongKeysFromOneAddressAreThrottledWhileOtherAddressesAreServed() throws Exception {
        start(new HttpServerConfig("127.0.0.1", 0));
        int port = server.port();
        int unauthorized = 0;
        String head = null;
        for (int i = 0; i < 40 && head == null; i++) {
            String answer = request(port, "127.0.0.7", post("/api/publish", "guess-" + i));
            if (answer.startsWith("HTTP/1.1 401")) {
                unauthorized++;
            } else {
                head = answer;
            }
        }
        System.out.printf("wrong API keys answered 401 before 429: %d%n", unauthorized);
        assertThat(unauthorized).isEqualTo(20);
        assertThat(head).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after:");
        assertThat(status(port, "127.0.0.7", post("/api/publish", KEY)))
                .as("the right key from the throttled address: a guess must not be told apart").isEqualTo(429);
        assertThat(status(port, "127.0.0.8", post("/api/publish", KEY))).as("another address").isEqualTo(200);
        assertThat(status(port, "127.0.0.8", post("/api/publish", "wrong"))).isEqualTo(401);
        assertThat(server.refusals().count("api.key")).isEqualTo(21);
        assertThat(server.refusals().count("api.key_rate")).isEqualTo(2);
    }

    private static String post(String path, String key) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + PUBLISH.length() + "\r\nConnection: close\r\n\r\n" + PUBLISH;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    private static int status(int port, String from, String request) throws IOException {
        return Integer.parseInt(request(port, from, request).substring(9, 12));
    }

    /** Sends one request from {@code from} (a 127.0.0.0/8 address) and reads the answer to the close. */
    private static String request(int port, String from, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.US_ASCII);
        }
    }
}
