package dev.weft.redis.internal;

import io.lettuce.core.AbstractRedisClient;

import java.util.function.Supplier;

/**
 * What a {@link Shard} over a Lettuce client does the same whatever the topology: logs the client's connection
 * state changes, shuts the client down when a connection cannot be made at start, and on {@link #close}.
 */
abstract class LettuceShard implements Shard {

    private final AbstractRedisClient client;
    private final ConnectionLog connectionLog = new ConnectionLog();

    LettuceShard(AbstractRedisClient client) {
        this.client = client;
        client.addListener(connectionLog);
    }

    /** Makes a connection; when that fails the client is shut down, since the shard will never be closed. */
    final <T> T connect(Supplier<T> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    @Override
    public final void close() {
        connectionLog.closing();
        client.shutdown();
    }
}
