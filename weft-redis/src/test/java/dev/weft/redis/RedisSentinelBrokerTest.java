package dev.weft.redis;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerContractTest;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;

/**
 * The broker contract through Redis Sentinel ({@code engine.redis.sentinel_address}): the broker asks a
 * private sentinel for the master of a private master and replica. Failover: {@link RedisSentinelFailoverTest}.
 */
class RedisSentinelBrokerTest extends BrokerContractTest {

    private static final PrivateRedisSentinel sentinel = PrivateRedisSentinel.untilExit();
    private final String prefix = RedisTestSupport.uniquePrefix();

    /** The JVM's one shared sentinel setup, never failed over (the presence test uses it too). */
    static PrivateRedisSentinel sentinel() {
        return sentinel;
    }

    @Override
    protected Broker newBroker() {
        return new RedisBroker(sentinel.config(prefix));
    }

    @Override
    protected long storedChannels() {
        return RedisTestSupport.channelKeys(sentinel.masterAddress(), prefix).size();
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(sentinel.masterAddress(), prefix);
    }

    @AfterProperty
    void deletePropertyKeys() {
        deleteKeys();
    }
}
