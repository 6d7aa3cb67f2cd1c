package dev.weft.redis;

import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlBusContractTest;

/** The control bus contract on the machine's Redis, under a prefix of its own. */
class RedisControlBusTest extends ControlBusContractTest {
    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected ControlBus newBus() {
        return new RedisControlBus(RedisTestSupport.config(prefix));
    }
}
