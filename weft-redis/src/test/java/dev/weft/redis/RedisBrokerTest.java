package dev.weft.redis;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerContractTest;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.RecordingHandler;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.redis.internal.Keys;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract against the machine's Redis (127.0.0.1:6379, under a prefix of this run's own), plus
 * what only a shared, external store shows: data lost behind the broker's back, meta expiry in Redis, other
 * nodes.
 */
class RedisBrokerTest extends BrokerContractTest {

    /** Fresh for every test (JUnit makes an instance per test), so keys of other tests never count here. */
    private final String redisPrefix = RedisTestSupport.uniquePrefix();

    @Override
    protected Broker newBroker() {
        return new RedisBroker(RedisTestSupport.config(redisPrefix));
    }

    @Override
    protected long storedChannels() {
        return RedisTestSupport.channelKeys(RedisTestSupport.ADDRESS, redisPrefix).size();
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, redisPrefix);
    }

    /** jqwik runs properties outside JUnit's lifecycle. */
    @AfterProperty
    void deletePropertyKeys() {
        deleteKeys();
    }

    @Test
    void lostStreamMetaStartsANewEpochAndDropsTheOrphanedHistory() {
        String ch = channel("lost-meta");
        StreamPosition before = publishNumbered(ch, 3, history(10));

        String meta = RedisTestSupport.key(redisPrefix, Keys::meta, ch);
        RedisTestSupport.withRedis(RedisTestSupport.ADDRESS, r -> r.del(meta));

        StreamPosition after = broker.position(ch);
        assertThat(after.offset()).isZero();
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(broker.position(ch)).as("stable while empty").isEqualTo(after);
        assertThat(broker.history(ch, HistoryFilter.all()).publications()).isEmpty();
        assertThat(broker.publish(ch, bytes("new"), history(10)).position())
                .isEqualTo(new StreamPosition(1, after.epoch()));
        assertThat(texts(broker.history(ch, HistoryFilter.all()).publications())).containsExactly("new");
    }

    @Test
    void losingEverythingInRedisGivesEveryChannelANewEpoch() {
        String ch = channel("lost-all");
        StreamPosition before = publishNumbered(ch, 2, history(10));
        String neverPublished = channel("never");
        StreamPosition emptyBefore = broker.position(neverPublished);

        RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, redisPrefix); // what a restart without persistence does

        assertThat(broker.position(ch).epoch()).isNotEqualTo(before.epoch());
        assertThat(broker.position(neverPublished).epoch()).isNotEqualTo(emptyBefore.epoch());
        assertThat(broker.position(ch).offset()).isZero();
    }

    @Test
    void aHistoryReadWithMetaTtlKeepsTheStreamAlive() {
        String ch = channel("meta-extend");
        StreamPosition before = broker.publish(ch, bytes("a"), history(10).withMetaTtl(Duration.ofSeconds(2)))
                .position();

        broker.history(ch, new HistoryFilter(null, 0, false, Duration.ofMinutes(10)));

        String meta = RedisTestSupport.key(redisPrefix, Keys::meta, ch);
        long ttl = RedisTestSupport.withRedis(RedisTestSupport.ADDRESS, r -> r.pttl(meta));
        assertThat(ttl).isGreaterThan(60_000L);
        assertThat(broker.position(ch)).isEqualTo(before);
    }

    @Test
    void historyKeysCarryTheirTtlAndIdempotencyResultsExpire() {
        String ch = channel("key-ttls");
        broker.publish(ch, bytes("a"), PublishOptions.withHistory(10, Duration.ofSeconds(30))
                .withMetaTtl(Duration.ofMinutes(5)).withIdempotencyKey("k"));

        Map<String, Long> ttls = RedisTestSupport.withRedis(RedisTestSupport.ADDRESS, r -> Map.of(
                "stream", r.pttl(RedisTestSupport.key(redisPrefix, Keys::stream, ch)),
                "meta", r.pttl(RedisTestSupport.key(redisPrefix, Keys::meta, ch)),
                "idempotency", r.pttl(new String(new Keys(redisPrefix).idempotency(ch, "k"), UTF_8))));
        assertThat(ttls.get("stream")).isBetween(1L, 30_000L);
        assertThat(ttls.get("meta")).isBetween(30_000L, 300_000L);
        assertThat(ttls.get("idempotency")).isBetween(1L, PublishOptions.DEFAULT_IDEMPOTENT_RESULT_TTL.toMillis());
    }

    @Test
    void payloadsAndInfoTravelByteForByte() {
        String ch = channel("bytes");
        broker.subscribe(ch);
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        byte[] connInfo = {0, (byte) 0xff, ':', 'p'};
        ClientInfo info = new ClientInfo("ünï", "c:1", connInfo, new byte[0]);

        broker.publish(ch, data, history(10).withInfo(info).withTags(Map.of("k:", "v\n")));

        awaitPublications(ch, 1);
        Publication delivered = handler.publications(ch).get(0);
        Publication kept = broker.history(ch, HistoryFilter.all()).publications().get(0);
        for (Publication p : new Publication[]{delivered, kept}) {
            assertThat(p.data()).isEqualTo(data);
            assertThat(p.info().user()).isEqualTo("ünï");
            assertThat(p.info().client()).isEqualTo("c:1");
            assertThat(p.info().connInfo()).isEqualTo(connInfo);
            assertThat(p.info().chanInfo()).isEmpty();
            assertThat(p.tags()).containsExactlyEntriesOf(Map.of("k:", "v\n"));
        }
    }

    @Test
    void anotherNodePublishingIsDeliveredHereAndSharesTheStream() {
        String ch = channel("two-nodes");
        broker.subscribe(ch);
        try (Broker otherNode = newBroker()) {
            RecordingHandler otherEvents = new RecordingHandler();
            otherNode.setEventHandler(otherEvents);
            otherNode.subscribe(ch);

            StreamPosition first = otherNode.publish(ch, bytes("from-b"), history(10)).position();
            StreamPosition second = broker.publish(ch, bytes("from-a"), history(10)).position();

            assertThat(second).isEqualTo(new StreamPosition(2, first.epoch()));
            awaitPublications(ch, 2);
            await().atMost(deliveryTimeout()).until(() -> otherEvents.publications(ch).size() == 2);
            assertThat(texts(handler.publications(ch))).containsExactly("from-b", "from-a");
            assertThat(texts(otherEvents.publications(ch))).containsExactly("from-b", "from-a");
            HistoryPage page = otherNode.history(ch, HistoryFilter.all());
            assertThat(page.position()).isEqualTo(second);
        }
    }
}
