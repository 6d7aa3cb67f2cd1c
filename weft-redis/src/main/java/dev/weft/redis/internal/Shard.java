package dev.weft.redis.internal;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * One Redis deployment channels are spread over: a single server ({@link StandaloneShard}) or a Redis Cluster
 * ({@link ClusterShard}). Thread-safe.
 */
public interface Shard extends AutoCloseable {

    /** Receives pub/sub messages, on the connection's I/O thread, in the order Redis sent them. */
    interface Listener {
        void message(byte[] channel, byte[] message);
    }

    /** Synchronous commands (scripts, PUBLISH, DEL); each fails after {@code io_timeout}. */
    RedisClusterCommands<byte[], byte[]> commands();

    /** The command a publish script uses to send to subscribers: PUBLISH, or SPUBLISH in a cluster. */
    String publishCommand();

    /** Sends a message to the channel's subscribers with {@link #publishCommand()}. */
    void publish(byte[] channel, byte[] message);

    /** Subscribes the pub/sub connection; returns once Redis confirmed. */
    void subscribe(byte[] channel);

    void unsubscribe(byte[] channel);

    /** Whether its connections are up, as Lettuce last saw them (no round trip). */
    boolean connected();

    @Override
    void close();
}
