package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.protocol.DisconnectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: one connection fires 10 000 commands as fast as the socket takes them, to keep the server busy
 * (and here, to publish 10 000 messages into a channel).
 * Defence: {@code client.command_rate_limit} — every command takes a token before doing any work; the ones
 * over the rate are answered with 111 and do nothing; a client that keeps going is cut off with 3013, and
 * everything it sent after that is never processed. Other clients do not notice.
 */
class CommandBurstTest {
    private static final int COMMANDS = 10_000;
    private static final int RATE = 1;       // per second: the test takes far less than a second per token
    private static final int BURST = 100;
    private static final int REFUSALS = 50;

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private void start() {
        server = TestServers.start(ClientOptions.builder()
                .commandRateLimit(RATE).commandRateBurst(BURST).commandRefusalLimit(REFUSALS));
    }

    private static String publish(int id) {
        return "{\"id\":" + id + ",\"publish\":{\"channel\":\"flood\",\"data\":{\"n\":" + id + "}}}";
    }

    @Test
    void tenThousandCommandsInABurstAreRefusedWith111ThenTheClientIsCutOffWith3013() throws Exception {
        start();
        long started = System.nanoTime();
        try (TestWebSocket attacker = TestWebSocket.connect(server.port())) {
            attacker.send("{\"id\":1,\"connect\":{}}");
            assertThat(TestServers.lines(attacker.next()).getFirst().has("connect")).isTrue();

            // 100 frames of 100 commands each, newline-separated as the SDKs batch them.
            int id = 2;
            for (int frame = 0; frame < COMMANDS / 100; frame++) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    batch.append(i == 0 ? "" : "\n").append(publish(id++));
                }
                try {
                    attacker.socket().sendText(batch, true).get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    break; // the server has closed the connection: the rest cannot even be sent
                }
            }
            TestWebSocket.Close close = attacker.awaitClose();
            double elapsedSeconds = (System.nanoTime() - started) / 1e9;

            int ok = 0;
            int refused = 0;
            String message;
            while ((message = attacker.messages.poll()) != null) {
                for (JsonNode reply : TestServers.lines(message)) {
                    if (reply.has("error")) {
                        assertThat(reply.path("error").path("code").asInt()).isEqualTo(111);
                        assertThat(reply.path("error").path("temporary").asBoolean()).isTrue();
                        refused++;
                    } else if (reply.has("publish")) {
                        ok++;
                    }
                }
            }
            assertThat(close.code()).isEqualTo(DisconnectCode.TOO_MANY_REQUESTS.code());
            assertThat(close.reason()).isEqualTo("too many requests");
            long allowance = BURST + (long) Math.ceil(elapsedSeconds * RATE);
            assertThat((long) ok + 1).as("connect + publishes carried out").isLessThanOrEqualTo(allowance);
            assertThat(ok).as("the burst was served").isGreaterThanOrEqualTo(BURST - 1);
            assertThat(refused).as("refused with 111 before the cut-off").isPositive()
                    .isLessThanOrEqualTo(REFUSALS + (int) Math.ceil(elapsedSeconds * REFUSALS));
            assertThat(ok + refused).as("commands after the cut-off were never processed")
                    .isLessThan(COMMANDS / 10);
            assertThat(TestServers.published(server, "flood")).as("refused publishes published nothing")
                    .isEqualTo(ok);
            assertThat(server.refusals().count("command.too_many_requests")).isEqualTo(refused);
            assertThat(server.refusals().count("disconnect.too_many_requests")).isEqualTo(1);
        }
        assertOthersAreServed();
    }

    @Test
    void tenThousandSingleCommandFramesFromARawSocketEndTheConnectionNotTheServer() throws Exception {
        start();
        try (RawWebSocket attacker = RawWebSocket.attempt(server.port(), "127.0.0.1")) {
            assertThat(attacker.status()).isEqualTo(101);
            attacker.sendText("{\"id\":1,\"connect\":{}}");
            // One write of 10 000 masked frames: the server sees them as fast as it can read.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int id = 2; id < COMMANDS + 2; id++) {
                all.writeBytes(RawWebSocket.maskedFrame(0x81,
                        ("{\"id\":" + id + ",\"ping\":{}}").getBytes(StandardCharsets.UTF_8)));
            }
            try {
                attacker.sendRaw(all.toByteArray());
            } catch (IOException e) {
                // closed under our feet: fine, the close frame is still readable
            }
            RawWebSocket.Frame close = attacker.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(DisconnectCode.TOO_MANY_REQUESTS.code());
        }
        assertThat(server.refusals().count("disconnect.too_many_requests")).isEqualTo(1);
        assertOthersAreServed();
    }

    /** A well-behaved client connects, subscribes and receives a publication while and after the flood. */
    private void assertOthersAreServed() throws Exception {
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"calm\"}}");
            List<JsonNode> seen = new ArrayList<>();
            while (seen.stream().noneMatch(n -> n.path("id").asInt() == 2)) {
                seen.addAll(TestServers.lines(ws.next()));
            }
            server.node().publish("calm", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), null, java.util.Map.of());
            JsonNode push;
            do {
                push = TestServers.lines(ws.next()).getFirst();
            } while (!push.has("push"));
            assertThat(push.path("push").path("pub").path("data").path("ok").asBoolean()).isTrue();
        }
    }
}
