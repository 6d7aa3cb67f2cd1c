package dev.weft.redis;

import dev.weft.core.broker.Broker;
import dev.weft.core.presence.PresenceManager;

/**
 * The Redis engine ({@code engine.type: redis}): a {@link RedisBroker} and a {@link RedisPresenceManager} on
 * the same Redis servers. The node closes both when it shuts down.
 */
public record RedisEngine(Broker broker, PresenceManager presenceManager) {

    /**
     * Connects both halves.
     *
     * @throws io.lettuce.core.RedisConnectionException if a Redis cannot be reached (the server does not start)
     */
    /** A control bus between the nodes on the same Redis; it connects when the node starts it. */
    public static RedisControlBus controlBus(RedisEngineConfig config) {
        return new RedisControlBus(config);
    }

    public static RedisEngine open(RedisEngineConfig config) {
        RedisBroker broker = new RedisBroker(config);
        try {
            return new RedisEngine(broker, new RedisPresenceManager(config));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }
}
