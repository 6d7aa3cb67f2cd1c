package dev.weft.nats;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The presence contract against a real NATS server's KV store. */
class NatsPresenceManagerTest extends PresenceManagerContractTest {

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
    protected PresenceManager newPresenceManager() {
        return nats.engine().presenceManager();
    }

    @Override
    protected boolean recordsOwners() {
        return true;
    }
}
