package dev.weft.server.config;

import dev.weft.nats.NatsEngineConfig;
import dev.weft.redis.RedisEngineConfig;

import java.util.List;

/**
 * {@code engine.*}: where channels, history and presence live; and Centrifugo's {@code broker.*} form of
 * choosing NATS.
 *
 * @param type          {@code sqlite} (the default: this node only, channel history in {@code history.db} under
 *                      {@code data_dir}, kept across restarts and crashes; presence in memory), {@code memory}
 *                      (this process only, lost on restart), {@code nats} (shared by every node on the same NATS
 *                      with the same prefix) or {@code redis} (shared by every node on the same Redis servers or
 *                      clusters with the same prefix)
 * @param nats          {@code engine.nats.*}, used when {@code type} is {@code nats}
 * @param redis         {@code engine.redis.*}, used when {@code type} is {@code redis}
 * @param brokerEnabled {@code broker.enabled}: Centrifugo's separate broker; with {@code broker.type: nats}
 *                      it selects the NATS engine, configured by {@code broker.nats.*}
 * @param brokerType    {@code broker.type}
 * @param brokerNats    {@code broker.nats.*}
 */
public record EngineConfig(String type, NatsEngineConfig nats, RedisEngineConfig redis, boolean brokerEnabled,
                           String brokerType, NatsEngineConfig brokerNats) {

    /** Engine types this build knows; the switch is {@code WeftServer.newNode}. */
    public static final List<String> TYPES = List.of("sqlite", "memory", "nats", "redis");
    /** {@code broker.type}: unset, or {@code nats} (Centrifugo's {@code redis} broker is not implemented). */
    public static final List<String> BROKER_TYPES = List.of("", "nats");
    public static final EngineConfig DEFAULT = new EngineConfig("sqlite", null, null, false, "", null);
    /** Everything in memory: for tests and throwaway servers that need no data directory. */
    public static final EngineConfig MEMORY = DEFAULT.withType("memory");

    public EngineConfig {
        type = type == null ? "sqlite" : type;
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("engine.type must be one of " + TYPES + ", got " + type);
        }
        nats = nats == null ? new NatsEngineConfig(null, null, null) : nats;
        redis = redis == null ? RedisEngineConfig.DEFAULT : redis;
        brokerType = brokerType == null ? "" : brokerType;
        brokerNats = brokerNats == null ? new NatsEngineConfig(null, null, null) : brokerNats;
    }

    /** The NATS engine to run, from {@code engine.*} or else Centrifugo's {@code broker.*}; null for memory. */
    public NatsEngineConfig natsEngine() {
        if (type.equals("nats")) {
            return nats;
        }
        return brokerEnabled && brokerType.equals("nats") ? brokerNats : null;
    }

    public EngineConfig withType(String v) {
        return new EngineConfig(v, nats, redis, brokerEnabled, brokerType, brokerNats);
    }

    public EngineConfig withNats(NatsEngineConfig v) {
        return new EngineConfig(type, v, redis, brokerEnabled, brokerType, brokerNats);
    }

    public EngineConfig withRedis(RedisEngineConfig v) {
        return new EngineConfig(type, nats, v, brokerEnabled, brokerType, brokerNats);
    }

    public EngineConfig withBrokerEnabled(boolean v) {
        return new EngineConfig(type, nats, redis, v, brokerType, brokerNats);
    }

    public EngineConfig withBrokerType(String v) {
        return new EngineConfig(type, nats, redis, brokerEnabled, v, brokerNats);
    }

    public EngineConfig withBrokerNats(NatsEngineConfig v) {
        return new EngineConfig(type, nats, redis, brokerEnabled, brokerType, v);
    }
}
