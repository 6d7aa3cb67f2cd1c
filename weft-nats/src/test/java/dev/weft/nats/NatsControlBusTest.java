package dev.weft.nats;

import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlBusContractTest;
import org.junit.jupiter.api.AfterEach;

/** The control bus contract on the machine's NATS: each bus on an engine (connection) of its own. */
class NatsControlBusTest extends ControlBusContractTest {
    private final SharedNats nats = new SharedNats();

    @Override
    protected ControlBus newBus() {
        return nats.engine().controlBus();
    }

    @AfterEach
    void closeNats() throws Exception {
        nats.close();
    }
}
