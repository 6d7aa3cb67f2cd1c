package dev.weft.redis;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import org.junit.jupiter.api.AfterEach;

/** The presence contract through Redis Sentinel, on the setup {@link RedisSentinelBrokerTest} starts. */
class RedisSentinelPresenceManagerTest extends PresenceManagerContractTest {

    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected PresenceManager newPresenceManager() {
        return new RedisPresenceManager(RedisSentinelBrokerTest.sentinel().config(prefix));
    }

    @Override
    protected boolean recordsOwners() {
        return true;
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(RedisSentinelBrokerTest.sentinel().masterAddress(), prefix);
    }
}
