package dev.weft.redis;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import dev.weft.redis.internal.Keys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The presence contract against the machine's Redis, plus what Redis keeps. */
class RedisPresenceManagerTest extends PresenceManagerContractTest {

    private static final String PREFIX = RedisTestSupport.uniquePrefix();

    @Override
    protected PresenceManager newPresenceManager() {
        return new RedisPresenceManager(RedisTestSupport.config(PREFIX));
    }

    @Override
    protected boolean recordsOwners() {
        return true;
    }

    @AfterAll
    static void deleteKeys() {
        RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, PREFIX);
    }

    @Test
    void presenceKeysExpireInRedisWithTheirLastEntry() {
        String ch = channel("keys-expire");
        presence.addPresence(ch, "c1", info("alice", "c1"), Duration.ofSeconds(30));

        String expiry = RedisTestSupport.key(PREFIX, Keys::presenceExpiry, ch);
        long ttl = RedisTestSupport.withRedis(RedisTestSupport.ADDRESS, r -> r.pttl(expiry));
        assertThat(ttl).isBetween(1L, 30_000L);

        presence.removePresence(ch, "c1");
        long left = RedisTestSupport.withRedis(RedisTestSupport.ADDRESS,
                r -> r.exists(RedisTestSupport.key(PREFIX, Keys::presenceExpiry, ch),
                        RedisTestSupport.key(PREFIX, Keys::presenceInfo, ch)));
        assertThat(left).isZero();
    }

    @Test
    void twoManagersOnOneRedisSeeTheSamePresence() {
        String ch = channel("shared");
        try (PresenceManager other = newPresenceManager()) {
            presence.addPresence(ch, "c1", info("alice", "c1"), Duration.ofMinutes(1));
            other.addPresence(ch, "c2", info("bob", "c2"), Duration.ofMinutes(1));

            assertThat(other.presence(ch)).containsOnlyKeys("c1", "c2");
            assertThat(presence.presence(ch)).containsOnlyKeys("c1", "c2");
        }
    }
}
