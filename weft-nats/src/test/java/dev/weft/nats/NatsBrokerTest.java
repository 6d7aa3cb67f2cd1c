package dev.weft.nats;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerContractTest;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.protocol.model.ClientInfo;

/**
 * The broker contract against a real NATS server with JetStream. Each broker gets a prefix of its own, deleted
 * when it is closed: the contract's properties (run by jqwik, outside JUnit's class lifecycle) close theirs.
 */
class NatsBrokerTest extends BrokerContractTest {

    @Override
    protected Broker newBroker() {
        return new OwnPrefix(new SharedNats());
    }

    @Override
    protected long storedChannels() {
        return ((OwnPrefix) broker).nats.storedChannels();
    }

    /** A {@link NatsBroker} on a fixture of its own; closing it deletes what it made. */
    private static final class OwnPrefix implements Broker {
        final NatsBroker nats;
        private final SharedNats fixture;

        OwnPrefix(SharedNats fixture) {
            this.fixture = fixture;
            this.nats = fixture.engine().broker();
        }

        @Override
        public void setEventHandler(BrokerEventHandler handler) {
            nats.setEventHandler(handler);
        }

        @Override
        public void subscribe(String channel) {
            nats.subscribe(channel);
        }

        @Override
        public void unsubscribe(String channel) {
            nats.unsubscribe(channel);
        }

        @Override
        public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
            return nats.publish(channel, data, options);
        }

        @Override
        public void publishJoin(String channel, ClientInfo info) {
            nats.publishJoin(channel, info);
        }

        @Override
        public void publishLeave(String channel, ClientInfo info) {
            nats.publishLeave(channel, info);
        }

        @Override
        public HistoryPage history(String channel, HistoryFilter filter) {
            return nats.history(channel, filter);
        }

        @Override
        public void removeHistory(String channel) {
            nats.removeHistory(channel);
        }

        @Override
        public void close() {
            try {
                fixture.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not delete test prefix", e);
            }
        }
    }
}
