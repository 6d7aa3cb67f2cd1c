package dev.weft.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;

/** Logs a Redis connection going down while in use (not when closed on purpose). Thread-safe. */
final class ConnectionLog implements RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private volatile boolean closing;

    /** From now on connections going down are expected. */
    void closing() {
        closing = true;
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (!closing) {
            log.warn("Lost a connection to Redis; commands fail until it is back");
        }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        log.debug("Connected to Redis at {}", address);
    }
}
