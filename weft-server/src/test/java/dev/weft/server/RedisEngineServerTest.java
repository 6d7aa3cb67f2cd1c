package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.core.client.ClientSession;
import dev.weft.redis.PrivateRedis;
import dev.weft.redis.PrivateRedisCluster;
import dev.weft.redis.RedisEngineConfig;
import dev.weft.redis.RedisTestSupport;
import dev.weft.redis.internal.Keys;
import dev.weft.server.api.ApiCalls;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpApiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.server.ProtocolClient.connect;
import static dev.weft.server.ProtocolClient.push;
import static dev.weft.server.ProtocolClient.request;
import static dev.weft.server.TestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Weft nodes in one JVM sharing Redis ({@code engine.type: redis}): what one node's API publishes reaches
 * the other node's clients, and history and recovery work across nodes. The shared tests use the machine's
 * Redis under a prefix of their own; the outage test uses a private {@code redis-server}.
 */
class RedisEngineServerTest {

    private static final String KEY = "redis-engine-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WeftServer> servers = new ArrayList<>();
    private final String prefix = RedisTestSupport.uniquePrefix();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.close(Duration.ofSeconds(2)));
        RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, prefix);
    }

    private WeftServer node(RedisEngineConfig redis) {
        WeftServer server = TestServers.start(ClientOptions.builder(), c -> c.withHttpApi(new HttpApiConfig(KEY, false))
                .withEngine(EngineConfig.DEFAULT.withType("redis").withRedis(redis)));
        servers.add(server);
        return server;
    }

    @Test
    void aClientOnOneNodeGetsWhatTheOtherNodePublishesAndRecoversThereAfterADrop() throws Exception {
        crossNodeDeliveryAndRecovery(RedisTestSupport.config(prefix));
    }

    @Test
    void theSameOverARedisClusterWithShardedPubSub() throws Exception {
        PrivateRedisCluster cluster = PrivateRedisCluster.untilExit();
        try {
            crossNodeDeliveryAndRecovery(RedisEngineConfig.of(List.of(), prefix)
                    .withClusterAddresses(List.of(cluster.seeds())));
        } finally {
            servers.forEach(s -> s.close(Duration.ofSeconds(2)));
            servers.clear();
            cluster.close();
        }
    }

    private void crossNodeDeliveryAndRecovery(RedisEngineConfig redis) throws Exception {
        WeftServer a = node(redis);
        WeftServer b = node(redis);

        String epoch;
        try (TestWebSocket onA = TestWebSocket.connect(a.port())) {
            connect(onA);
            JsonNode subscribed = request(onA, 2,
                    "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recoverable\":true}}");
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
    void withRedisDownTheApiPublishReturnsAnErrorAndClientsStayConnected() throws Exception {
        try (PrivateRedis redis = new PrivateRedis()) {
            WeftServer a = node(RedisEngineConfig.of(List.of(redis.address()), "weft")
                    .withIoTimeout(Duration.ofMillis(500)));
            try (TestWebSocket client = TestWebSocket.connect(a.port())) {
                connect(client);
                request(client, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
                assertThat(ProtocolClient.ready(http, a)).isEqualTo("200 {}");

                redis.stop();

                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ProtocolClient.ready(http, a))
                        .startsWith("503 ").contains("\"reason\":\"Redis unreachable"));

                try (LogCapture apiLog = new LogCapture(ApiCalls.class);
                     LogCapture sessionLog = new LogCapture(ClientSession.class)) {
                    for (int i = 0; i < 20; i++) {
                        JsonNode failed = publish(a, "news", "{\"lost\":true}");
                        assertThat(failed.has("result")).as(failed.toString()).isFalse();
                        assertThat(failed.path("error").path("code").asInt()).isEqualTo(100);
                        int id = 3 + i;
                        JsonNode refused = request(client, id,
                                "{\"id\":" + id + ",\"publish\":{\"channel\":\"news\",\"data\":{}}}");
                        assertThat(refused.path("error").path("code").asInt()).isEqualTo(100);
                        assertThat(refused.path("error").path("temporary").asBoolean()).isTrue();
                    }
                    // An outage is logged, not every command that runs into it (20 of each took well under 2 s).
                    for (LogCapture log : List.of(apiLog, sessionLog)) {
                        assertThat(log.messages()).hasSizeBetween(1, 2)
                                .allSatisfy(m -> assertThat(m).contains("Redis"));
                    }
                }

                redis.start();
                String news = RedisTestSupport.key("weft", Keys::pubSub, "news");
                await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(redis, news) == 1);
                await().atMost(Duration.ofSeconds(5)).until(() -> ProtocolClient.ready(http, a).equals("200 {}"));
                assertThat(publish(a, "news", "{\"back\":true}").has("result")).isTrue();
                assertThat(push(client, "news").path("pub").path("data")).isEqualTo(json("{\"back\":true}"));
            }
        }
    }

    private static long subscribers(PrivateRedis redis, String channel) {
        try {
            return RedisTestSupport.withRedis(redis.address(), r -> r.pubsubNumsub(channel).getOrDefault(channel, 0L));
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private JsonNode publish(WeftServer server, String channel, String data) throws Exception {
        return ProtocolClient.publish(http, server, KEY, channel, data);
    }

    private JsonNode api(WeftServer server, String method, String body) throws Exception {
        return ProtocolClient.api(http, server, KEY, method, body);
    }
}
