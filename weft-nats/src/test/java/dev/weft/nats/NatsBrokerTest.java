package dev.weft.nats;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract against a real NATS server with JetStream. */
class NatsBrokerTest extends BrokerContractTest {

    private static SharedNats nats;

    @BeforeAll
    static void connect() {
        nats = new SharedNats();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        nats.close();
    }

    @Override
    protected Broker newBroker() {
        return nats.engine().broker();
    }

    @Override
    protected long storedChannels() {
        return ((NatsBroker) broker).storedChannels();
    }
}
