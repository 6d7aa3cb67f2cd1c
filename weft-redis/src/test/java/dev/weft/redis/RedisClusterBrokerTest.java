package dev.weft.redis;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerContractTest;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.RecordingHandler;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract against a Redis Cluster of three private masters ({@code engine.redis.cluster_address}),
 * publications travelling by sharded pub/sub.
 */
class RedisClusterBrokerTest extends BrokerContractTest {

    private static final PrivateRedisCluster cluster = PrivateRedisCluster.untilExit();
    private final String prefix = RedisTestSupport.uniquePrefix();

    /** The JVM's one test cluster (three redis-servers), shared with the presence test. */
    static PrivateRedisCluster cluster() {
        return cluster;
    }

    static RedisEngineConfig config(String prefix) {
        return RedisEngineConfig.of(List.of(), prefix).withClusterAddresses(List.of(cluster.seeds()));
    }

    @Override
    protected Broker newBroker() {
        return new RedisBroker(config(prefix));
    }

    @Override
    protected long storedChannels() {
        return cluster.nodes().stream().mapToLong(n -> RedisTestSupport.channelKeys(n.address(), prefix).size()).sum();
    }

    @AfterEach
    void deleteKeys() {
        cluster.nodes().forEach(n -> RedisTestSupport.deleteKeys(n.address(), prefix));
    }

    @AfterProperty
    void deletePropertyKeys() {
        deleteKeys();
    }

    @Test
    void channelsSpreadOverEveryMasterAndTwoNodesShareThem() {
        try (Broker otherNode = newBroker()) {
            RecordingHandler otherEvents = new RecordingHandler();
            otherNode.setEventHandler(otherEvents);
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                channels.add(channel("spread-" + i));
            }
            channels.forEach(otherNode::subscribe);

            channels.forEach(ch -> broker.publish(ch, bytes(ch), history(10)));

            await().atMost(deliveryTimeout()).until(() -> channels.stream()
                    .allMatch(ch -> otherEvents.publications(ch).size() == 1));
            for (String ch : channels) {
                assertThat(texts(otherNode.history(ch, HistoryFilter.all()).publications())).containsExactly(ch);
            }
            List<Integer> perMaster = cluster.nodes().stream()
                    .map(n -> RedisTestSupport.channelKeys(n.address(), prefix).size()).toList();
            System.out.println("keys of 30 channels per cluster master: " + perMaster);
            assertThat(perMaster).allSatisfy(count -> assertThat(count).isPositive());
        }
    }
}
