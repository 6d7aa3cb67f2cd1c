package dev.weft.server.ai;

import dev.weft.redis.RedisTestSupport;
import dev.weft.server.config.EngineConfig;
import org.junit.jupiter.api.AfterEach;

/** AI streams on two nodes sharing the machine's Redis. */
class AiStreamsRedisClusterTest extends AiStreamsClusterTest {
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
