package dev.weft.redis;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import org.junit.jupiter.api.AfterEach;

import java.util.List;

/** The presence contract over two private Redis servers, channels spread by consistent hashing. */
class RedisShardedPresenceManagerTest extends PresenceManagerContractTest {

    private static final PrivateRedis first = PrivateRedis.untilExit();
    private static final PrivateRedis second = PrivateRedis.untilExit();
    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected PresenceManager newPresenceManager() {
        return new RedisPresenceManager(RedisEngineConfig.of(List.of(first.address(), second.address()), prefix));
    }

    @Override
    protected boolean recordsOwners() {
        return true;
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(first.address(), prefix);
        RedisTestSupport.deleteKeys(second.address(), prefix);
    }
}
