package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.protocol.DisconnectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: one address opens 1 000 WebSockets and never sends a connect command, to hold connections (and
 * sessions, timers, buffers) until the server runs out.
 * Defence: {@code client.ip_connection_rate_limit} refuses the address's excess attempts with 429 before any
 * upgrade work, and {@code client.stale_close_delay} closes every admitted socket that stays silent with
 * 3502. A client from another address connects and receives publications throughout.
 */
class SilentSocketFloodTest {
    private static final int SOCKETS = 1000;
    private static final int RATE = 20;
    private static final int BURST = 50;
    private static final Duration STALE = Duration.ofSeconds(1);

    private WeftServer server;
    private final List<RawWebSocket> opened = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawWebSocket s : opened) {
            s.close();
        }
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void aThousandSilentSocketsFromOneAddressAreRateLimitedAndClosedAsStale() throws Exception {
        server = TestServers.start(ClientOptions.builder().staleCloseDelay(STALE)
                .ipConnectionRateLimit(RATE).ipConnectionRateBurst(BURST));

        // The legitimate client comes from another loopback address and keeps reading in the background.
        RawWebSocket legit = RawWebSocket.attempt(server.port(), "127.0.0.2");
        opened.add(legit);
        assertThat(legit.status()).isEqualTo(101);
        legit.sendText("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        BlockingQueue<JsonNode> legitReceived = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    RawWebSocket.Frame frame = legit.readFrame();
                    if (frame.opcode() == 8) {
                        legitReceived.add(TestServers.json("{\"closed\":" + frame.closeCode() + "}"));
                        return;
                    }
                    TestServers.lines(frame.text()).forEach(legitReceived::add);
                }
            } catch (IOException e) {
                // socket closed at the end of the test
            }
        });

        int refused = 0;
        int published = 0;
        List<RawWebSocket> admitted = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < SOCKETS; i++) {
            RawWebSocket attempt = RawWebSocket.attempt(server.port(), "127.0.0.1");
            opened.add(attempt);
            if (attempt.status() == 101) {
                admitted.add(attempt); // ...and never says anything
            } else {
                assertThat(attempt.status()).isEqualTo(429);
                assertThat(attempt.head()).containsIgnoringCase("retry-after:");
                assertThat(TestServers.json(attempt.body()).path("error").path("code").asInt()).isEqualTo(111);
                assertThat(attempt.closedByServer()).as("a refused attempt gets no connection to retry on").isTrue();
                attempt.close();
                refused++;
            }
            if (i % 100 == 99) {
                server.node().publish("news", ("{\"n\":" + published++ + "}").getBytes(StandardCharsets.UTF_8),
                        null, Map.of());
            }
        }
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(admitted.size() + refused).isEqualTo(SOCKETS);
        assertThat(admitted.size()).as("the burst, then the rate").isGreaterThanOrEqualTo(BURST)
                .isLessThanOrEqualTo(BURST + (int) Math.ceil(elapsedSeconds * RATE));
        assertThat(server.refusals().count("connection.address_rate")).isEqualTo(refused);

        // Every admitted socket that said nothing is closed as stale.
        for (RawWebSocket silent : admitted) {
            assertThat(silent.readUntilClose().closeCode()).isEqualTo(DisconnectCode.STALE.code());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
        assertThat(server.refusals().count("disconnect.stale")).isEqualTo(admitted.size());
        assertThat(server.node().internalsForTests().hub().memberCount()).isEqualTo(1);

        // The other address was served all along: connected, subscribed, every publication in order.
        List<Integer> seen = new ArrayList<>();
        while (seen.size() < published) {
            JsonNode message = legitReceived.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("legitimate client still receiving").isNotNull();
            assertThat(message.has("closed")).as("legitimate client closed: %s", message).isFalse();
            if (message.has("push")) {
                seen.add(message.path("push").path("pub").path("data").path("n").asInt());
            }
        }
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, published).boxed().toList());
        legit.sendText("{\"id\":3,\"ping\":{}}");
        JsonNode pong;
        do {
            pong = legitReceived.poll(10, TimeUnit.SECONDS);
            assertThat(pong).isNotNull();
        } while (pong.path("id").asInt() != 3);
        legit.close();
        reader.join(5000);
    }
}
