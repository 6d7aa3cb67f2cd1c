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
 * The broker contract over two Redis servers ({@code engine.redis.address} with two entries), each a private
 * {@code redis-server}: channels are spread over both, and each channel lives wholly on one.
 */
class RedisShardedBrokerTest extends BrokerContractTest {

    /**
     * Started once for the JVM and stopped when it exits: JUnit's tests and jqwik's properties (which run
     * after JUnit's {@code @AfterAll}, in another engine) share them.
     */
    private static final PrivateRedis first = PrivateRedis.untilExit();
    private static final PrivateRedis second = PrivateRedis.untilExit();
    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected Broker newBroker() {
        return new RedisBroker(RedisEngineConfig.of(List.of(first.address(), second.address()), prefix));
    }

    @Override
    protected long storedChannels() {
        return keys(first).size() + keys(second).size();
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(first.address(), prefix);
        RedisTestSupport.deleteKeys(second.address(), prefix);
    }

    @AfterProperty
    void deletePropertyKeys() {
        deleteKeys();
    }

    @Test
    void channelsAreSpreadOverBothServersAndEachLivesOnOne() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String ch = channel("spread-" + i);
            channels.add(ch);
            broker.publish(ch, bytes("m"), history(10));
        }

        List<String> onFirst = metaChannels(first);
        List<String> onSecond = metaChannels(second);
        System.out.printf("40 channels over two Redis servers: %d and %d%n", onFirst.size(), onSecond.size());
        assertThat(onFirst).isNotEmpty();
        assertThat(onSecond).isNotEmpty();
        assertThat(onFirst).doesNotContainAnyElementsOf(onSecond);
        assertThat(onFirst.size() + onSecond.size()).isEqualTo(channels.size());
    }

    @Test
    void nodesListingTheSameServersDeliverAndReadEveryChannel() {
        try (Broker otherNode = newBroker()) {
            RecordingHandler otherEvents = new RecordingHandler();
            otherNode.setEventHandler(otherEvents);
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                channels.add(channel("both-" + i));
            }
            channels.forEach(otherNode::subscribe);

            channels.forEach(ch -> broker.publish(ch, bytes(ch), history(10)));

            await().atMost(deliveryTimeout()).until(() -> channels.stream()
                    .allMatch(ch -> otherEvents.publications(ch).size() == 1));
            for (String ch : channels) {
                assertThat(texts(otherNode.history(ch, HistoryFilter.all()).publications())).containsExactly(ch);
            }
        }
    }

    private List<String> keys(PrivateRedis redis) {
        return RedisTestSupport.channelKeys(redis.address(), prefix);
    }

    private List<String> metaChannels(PrivateRedis redis) {
        return keys(redis).stream().filter(k -> k.contains("}:m:"))
                .map(k -> k.substring(k.indexOf("}:m:") + 4)).toList();
    }
}
