package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.nats.NatsEngineConfig;
import dev.weft.nats.PrivateNatsServer;
import dev.weft.nats.SharedNats;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpApiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.weft.server.ProtocolClient.connect;
import static dev.weft.server.ProtocolClient.push;
import static dev.weft.server.ProtocolClient.request;
import static dev.weft.server.TestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Weft nodes in one JVM sharing NATS ({@code engine.type: nats}): what one node's API publishes reaches
 * the other node's clients, and history and recovery work across nodes. The shared test uses the machine's
 * NATS under a prefix of its own; the outage test a private {@code nats-server}.
 */
class NatsEngineServerTest {

    private static final String KEY = "nats-engine-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WeftServer> servers = new ArrayList<>();
    private final String prefix = "weftsrvtest-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stop() throws Exception {
        servers.forEach(s -> s.close(Duration.ofSeconds(2)));
        SharedNats.deletePrefix(SharedNats.URL, prefix);
    }

    private WeftServer node(EngineConfig engine) {
        WeftServer server = TestServers.start(ClientOptions.builder(),
                c -> c.withHttpApi(new HttpApiConfig(KEY, false)).withEngine(engine));
        servers.add(server);
        return server;
    }

    private static EngineConfig nats(String url, String prefix) {
        return EngineConfig.DEFAULT.withType("nats").withNats(NatsEngineConfig.of(url, prefix));
    }

    @Test
    void aClientOnOneNodeGetsWhatTheOtherNodePublishesAndRecoversThereAfterADrop() throws Exception {
        WeftServer a = node(nats(SharedNats.URL, prefix));
        // The other node chose NATS the way a Centrifugo configuration does: broker.type: nats.
        WeftServer b = node(EngineConfig.DEFAULT.withBrokerEnabled(true).withBrokerType("nats")
                .withBrokerNats(NatsEngineConfig.of(SharedNats.URL, prefix)));

        String epoch;
        try (TestWebSocket onA = TestWebSocket.connect(a.port())) {
            connect(onA);
            JsonNode subscribed = request(onA, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recoverable\":true}}");
            epoch = subscribed.path("subscribe").path("epoch").asText();
            assertThat(epoch).isNotEmpty();

            JsonNode published = publish(b, "news", "{\"n\":1}");
            assertThat(published.path("result").path("epoch").asText()).isEqualTo(epoch);

            JsonNode push = push(onA, "news");
            assertThat(push.path("pub").path("data")).isEqualTo(json("{\"n\":1}"));
            assertThat(push.path("pub").path("offset").asLong()).isEqualTo(1);
        }

        publish(b, "news", "{\"n\":2}");
        publish(a, "news", "{\"n\":3}");

        try (TestWebSocket onB = TestWebSocket.connect(b.port())) {
            connect(onB);
            JsonNode recovered = request(onB, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recoverable\":true,"
                    + "\"recover\":true,\"epoch\":\"" + epoch + "\",\"offset\":1}}").path("subscribe");
            assertThat(recovered.path("recovered").asBoolean()).as(recovered.toString()).isTrue();
            assertThat(recovered.path("publications").findValues("data"))
                    .containsExactly(json("{\"n\":2}"), json("{\"n\":3}"));
        }
        JsonNode history = api(a, "history", "{\"channel\":\"news\",\"limit\":-1}").path("result");
        assertThat(history.path("publications")).hasSize(3);
        assertThat(history.path("offset").asLong()).isEqualTo(3);
        assertThat(history.path("epoch").asText()).isEqualTo(epoch);
    }

    @Test
    void withNatsDownTheApiPublishReturnsAnErrorAndAfterwardsTheClientRecoversEverything() throws Exception {
        try (PrivateNatsServer server = new PrivateNatsServer()) {
            server.start();
            WeftServer a = node(nats(server.url(), "weft"));
            String epoch;
            try (TestWebSocket client = TestWebSocket.connect(a.port())) {
                connect(client);
                epoch = request(client, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recoverable\":true}}")
                        .path("subscribe").path("epoch").asText();
                assertThat(publish(a, "news", "{\"n\":1}").has("result")).isTrue();
                assertThat(push(client, "news").path("pub").path("offset").asLong()).isEqualTo(1);
                assertThat(ProtocolClient.ready(http, a)).isEqualTo("200 {}");

                server.stop();

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ProtocolClient.ready(http, a))
                        .startsWith("503 ").contains("\"reason\":\"NATS connection is "));

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode failed = publish(a, "news", "{\"lost\":true}");
                    assertThat(failed.has("result")).as(failed.toString()).isFalse();
                    assertThat(failed.path("error").path("code").asInt()).isEqualTo(100);
                });

                server.start();
                JsonNode back = await().atMost(Duration.ofSeconds(15))
                        .until(() -> publish(a, "news", "{\"n\":2}"), r -> r.has("result"));
                assertThat(back.path("result").path("offset").asLong()).isEqualTo(2);
                assertThat(back.path("result").path("epoch").asText()).isEqualTo(epoch);
                assertThat(ProtocolClient.ready(http, a)).isEqualTo("200 {}");
                assertThat(push(client, "news").path("pub").path("data")).isEqualTo(json("{\"n\":2}"));
            }
            try (TestWebSocket again = TestWebSocket.connect(a.port())) {
                connect(again);
                JsonNode recovered = request(again, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"news\","
                        + "\"recoverable\":true,\"recover\":true,\"epoch\":\"" + epoch + "\",\"offset\":0}}")
                        .path("subscribe");
                assertThat(recovered.path("recovered").asBoolean()).as(recovered.toString()).isTrue();
                assertThat(recovered.path("publications").findValues("data"))
                        .containsExactly(json("{\"n\":1}"), json("{\"n\":2}"));
            }
        }
    }

    private JsonNode publish(WeftServer server, String channel, String data) throws Exception {
        return ProtocolClient.publish(http, server, KEY, channel, data);
    }

    private JsonNode api(WeftServer server, String method, String body) throws Exception {
        return ProtocolClient.api(http, server, KEY, method, body);
    }
}
