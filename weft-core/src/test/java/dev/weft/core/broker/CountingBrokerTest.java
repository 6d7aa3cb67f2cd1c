package dev.weft.core.broker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A counted broker still keeps the whole broker contract, and counts what passes through it. */
class CountingBrokerTest extends BrokerContractTest {
    private MemoryBroker inner;

    @Override
    protected Broker newBroker() {
        inner = new MemoryBroker();
        return new CountingBroker(inner);
    }

    @Override
    protected long storedChannels() {
        return inner.channelCount() + inner.retiredCount();
    }

    @Test
    void countsPublishesAndTheDeliveriesToThisNode() {
        CountingBroker counted = (CountingBroker) broker;
        String subscribed = channel("counted");
        broker.subscribe(subscribed);
        for (int i = 0; i < 3; i++) {
            broker.publish(subscribed, bytes("x"), history(10));
        }
        broker.publish(channel("nobody-here"), bytes("y"), history(10));
        assertThat(counted.published()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> counted.delivered() == 3);
        assertThat(handler.publications(subscribed)).hasSize(3);
    }
}
