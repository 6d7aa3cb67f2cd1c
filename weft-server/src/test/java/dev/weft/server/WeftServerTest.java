package dev.weft.server;

import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WebSocketConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.server.websocket.WebSocketTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The network edge over real sockets, in front of a {@link FakeEngine}. */
class WeftServerTest {
    private final FakeEngine engine = new FakeEngine();
    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private WeftServer start(WeftConfig config, long queueMaxSize) {
        server = WeftServer.start(config.withHttpServer(new HttpServerConfig("127.0.0.1", 0)),
                engine.backend(queueMaxSize));
        return server;
    }

    private WeftServer start(WeftConfig config) {
        return start(config, 1024 * 1024);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }


    private Transport awaitTransport(int index) {
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.transports.size() > index);
        return engine.transports.get(index);
    }

    @Test
    void bindsAnEphemeralPortAndAnswersHealth() throws Exception {
        start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY));
        assertThat(server.port()).isPositive();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{}");
        assertThat(http.send(HttpRequest.newBuilder(uri("/nothing")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedMessageClosesOnlyThatClientWith1009() throws Exception {
        start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY).withWebsocket(new WebSocketConfig(1024)));
        try (TestWebSocket big = TestWebSocket.connect(server.port());
             TestWebSocket other = TestWebSocket.connect(server.port())) {
            other.send("before");
            assertThat(other.next()).isEqualTo("before");

            big.send("x".repeat(4096));
            TestWebSocket.Close close = big.awaitClose();
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("message too big");

            other.send("after");
            assertThat(other.next()).isEqualTo("after");
        }
    }

    @Test
    void disallowedOriginIsRefusedWith403() throws Exception {
        start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY).withAllowedOrigins(List.of("https://*.example.com")));
        assertThatThrownBy(() -> TestWebSocket.connect(server.port(), "Origin", "https://evil.test"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        assertThat(engine.transports).isEmpty();
        try (TestWebSocket allowed = TestWebSocket.connect(server.port(), "Origin", "https://app.example.com")) {
            allowed.send("hi");
            assertThat(allowed.next()).isEqualTo("hi");
        }
    }

    @Test
    void slowConsumerIsClosedWith3008WhileOthersKeepReceiving() throws Exception {
        start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY), 64 * 1024);
        try (TestWebSocket fast = TestWebSocket.connect(server.port())) {
            Transport fastTransport = awaitTransport(0);
            try (RawWebSocket slow = new RawWebSocket(server.port(), "/connection/websocket")) {
                WebSocketTransport slowTransport = (WebSocketTransport) awaitTransport(1);
                byte[] chunk = ("\"" + "x".repeat(16 * 1024 - 2) + "\"").getBytes(StandardCharsets.UTF_8);
                long written = 0;
                int ticks = 0;
                // Write at the pace the socket drains; once the peer's buffers are full, the queue fills.
                while (slowTransport.write(chunk)) {
                    written += chunk.length;
                    assertThat(written).as("the slow client never became slow").isLessThan(512L * 1024 * 1024);
                    assertThat(fastTransport.write(("tick " + ticks).getBytes(StandardCharsets.UTF_8))).isTrue();
                    ticks++;
                    long deadline = System.nanoTime() + 20_000_000;
                    while (slowTransport.pendingBytes() > 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                // What the engine does when write returns false:
                slowTransport.close(DisconnectCode.SLOW.disconnect());

                for (int i = 0; i < ticks; i++) {
                    assertThat(fast.next()).isEqualTo("tick " + i);
                }
                fastTransport.write("after".getBytes(StandardCharsets.UTF_8));
                assertThat(fast.next()).isEqualTo("after");

                RawWebSocket.Frame close = slow.readUntilClose();
                assertThat(close.closeCode()).isEqualTo(3008);
                assertThat(close.closeReason()).isEqualTo("slow");
            }
        }
    }

    @Test
    void closeDisconnectsClientsWithShutdownAndStopsListening() throws Exception {
        start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY));
        int port = server.port();
        try (TestWebSocket client = TestWebSocket.connect(port)) {
            awaitTransport(0);
            server.close(Duration.ofSeconds(2));
            TestWebSocket.Close close = client.awaitClose();
            assertThat(close.code()).isEqualTo(3001);
            assertThat(close.reason()).isEqualTo("shutdown");
        }
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }
}
