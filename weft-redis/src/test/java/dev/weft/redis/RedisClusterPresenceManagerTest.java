package dev.weft.redis;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import org.junit.jupiter.api.AfterEach;

/** The presence contract against a Redis Cluster of three private masters. */
class RedisClusterPresenceManagerTest extends PresenceManagerContractTest {

    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected PresenceManager newPresenceManager() {
        return new RedisPresenceManager(RedisClusterBrokerTest.config(prefix));
    }

    @Override
    protected boolean recordsOwners() {
        return true;
    }

    @AfterEach
    void deleteKeys() {
        RedisClusterBrokerTest.cluster().nodes().forEach(n -> RedisTestSupport.deleteKeys(n.address(), prefix));
    }
}
