package dev.weft.server;

import dev.weft.redis.RedisTestSupport;
import dev.weft.server.config.EngineConfig;
import org.junit.jupiter.api.AfterEach;

/** The control plane between two nodes on the machine's Redis (pub/sub {@code <prefix>:control}, …). */
class RedisClusterControlServerTest extends ClusterControlServerTest {
    private final String prefix = RedisTestSupport.uniquePrefix();

    @Override
    protected EngineConfig engine() {
        return EngineConfig.DEFAULT.withType("redis").withRedis(RedisTestSupport.config(prefix));
    }

    @AfterEach
    void deleteKeys() {
        RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, prefix);
    }
}
