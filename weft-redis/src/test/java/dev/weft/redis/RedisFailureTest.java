package dev.weft.redis;

import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.UserConnections;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.protocol.DisconnectCode;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.RecordingHandler;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.redis.internal.Keys;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the Redis broker does when Redis goes away, comes back empty, or hangs — against a private
 * {@code redis-server} this test starts, stops and freezes (never the machine's Redis).
 */
class RedisFailureTest {

    private static final Duration IO_TIMEOUT = Duration.ofMillis(500);
    private static final PublishOptions HISTORY = PublishOptions.withHistory(100, Duration.ofMinutes(5));

    private PrivateRedis redis;
    private RedisBroker broker;
    private RedisPresenceManager presence;
    private final RecordingHandler handler = new RecordingHandler();

    @BeforeEach
    void start() throws Exception {
        redis = new PrivateRedis();
        RedisEngineConfig config = RedisEngineConfig.of(List.of(redis.address()), "weft").withIoTimeout(IO_TIMEOUT);
        broker = new RedisBroker(config);
        broker.setEventHandler(handler);
        presence = new RedisPresenceManager(config);
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
        presence.close();
        redis.close();
    }

    @Test
    void publishFailsWhileRedisIsDownAndSubscriptionsAndHistoryComeBackWithANewEpoch() throws Exception {
        broker.subscribe("news");
        broker.subscribe("sports");
        StreamPosition before = broker.publish("news", bytes("before"), HISTORY).position();
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.publications("news").size() == 1);

        redis.stop();

        assertThatThrownBy(() -> broker.publish("news", bytes("lost"), HISTORY))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> broker.history("news", HistoryFilter.all()))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> presence.presence("news")).isInstanceOf(BrokerUnavailableException.class);

        redis.start(); // empty: no persistence
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> subscribers("news") == 1 && subscribers("sports") == 1);

        StreamPosition after = broker.publish("news", bytes("after"), HISTORY).position();
        broker.publish("sports", bytes("goal"), HISTORY);

        assertThat(after.epoch()).as("Redis lost the stream, so its epoch is new").isNotEqualTo(before.epoch());
        assertThat(after.offset()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> handler.publications("news").size() == 2
                && handler.publications("sports").size() == 1);
        assertThat(handler.events("news").get(1).epoch()).isEqualTo(after.epoch());
        assertThat(texts(broker.history("news", HistoryFilter.all()))).containsExactly("after");
    }

    @Test
    void unsubscribingDuringAnOutageStopsDeliveryAndRedisForgetsTheChannelOnceBack() throws Exception {
        broker.subscribe("gone");
        broker.subscribe("kept");

        redis.stop();
        broker.unsubscribe("gone"); // no exception: the node stops delivering the channel at once

        redis.start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> subscribers("kept") == 1);
        broker.publish("gone", bytes("after"), HISTORY);
        broker.publish("kept", bytes("after"), HISTORY);

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.publications("kept").size() == 1);
        assertThat(handler.publications("gone")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers("gone") == 0);
    }

    @Test
    void aFrozenRedisMakesPublishesFailAfterTheIoTimeoutAndNothingWaitsForever() throws Exception {
        broker.subscribe("news");
        broker.publish("news", bytes("one"), HISTORY);

        redis.freeze();
        int publishers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < publishers; i++) {
                int n = i;
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        broker.publish("news", bytes("frozen-" + n), HISTORY);
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }, pool));
            }
            for (CompletableFuture<Throwable> outcome : outcomes) {
                assertThat(outcome.get()).isInstanceOf(BrokerUnavailableException.class)
                        .hasCauseInstanceOf(RedisCommandTimeoutException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%d publishes against a frozen Redis all failed within %d ms (io_timeout %d ms)%n",
                publishers, waitedMs, IO_TIMEOUT.toMillis());

        redis.thaw();
        // Publishes that timed out may still have reached Redis: a timeout says "unknown", not "not done".
        StreamPosition next = broker.publish("news", bytes("two"), HISTORY).position();
        assertThat(next.offset()).isBetween(2L, 2L + publishers);
        await().atMost(Duration.ofSeconds(5)).until(() -> texts(handler.publications("news")).contains("two"));
    }

    @Test
    void whileRedisIsDownCrossNodeOperationsAndRevocationsFailInsteadOfReachingThisNodeAlone() throws Exception {
        RedisEngineConfig config = RedisEngineConfig.of(List.of(redis.address()), "weft").withIoTimeout(IO_TIMEOUT);
        try (Node node = new Node(NodeConfig.DEFAULT, new RedisBroker(config), new RedisPresenceManager(config))) {
            node.joinCluster(new RedisControlBus(config), "test");

            redis.stop();

            assertThatThrownBy(() -> node.disconnect(UserConnections.of("alice", ""),
                    DisconnectCode.FORCE_NO_RECONNECT.disconnect())).isInstanceOf(BrokerUnavailableException.class);
            assertThatThrownBy(() -> node.revokeToken("token-1", 0)).isInstanceOf(BrokerUnavailableException.class);
            assertThatThrownBy(() -> node.invalidateUserTokens("alice", 0))
                    .isInstanceOf(BrokerUnavailableException.class);
            assertThat(node.tokenRevocations().isRevoked("token-1")).as("nothing half-done").isFalse();

            redis.start();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> node.revokeToken("token-1", 0));
            assertThat(node.tokenRevocations().isRevoked("token-1")).isTrue();
        }
    }

    private long subscribers(String channel) {
        return RedisTestSupport.withRedis(redis.address(), r -> {
            String name = RedisTestSupport.key("weft", Keys::pubSub, channel);
            Map<String, Long> counts = r.pubsubNumsub(name);
            return counts.getOrDefault(name, 0L);
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> texts(dev.weft.core.broker.HistoryPage page) {
        return texts(page.publications());
    }

    private static List<String> texts(List<dev.weft.protocol.model.Publication> publications) {
        return publications.stream().map(p -> new String(p.data(), UTF_8)).toList();
    }
}
