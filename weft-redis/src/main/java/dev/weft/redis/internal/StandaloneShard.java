package dev.weft.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * One Redis server: a connection for commands and, when a listener is given, one for SUBSCRIBE, which Lettuce
 * resubscribes after a reconnect. Thread-safe.
 */
final class StandaloneShard implements Shard {

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    private final ConnectionLog connectionLog = new ConnectionLog();

    StandaloneShard(RedisClient client, Listener listener) {
        this.client = client;
        client.addListener(connectionLog);
        try {
            this.commands = client.connect(ByteArrayCodec.INSTANCE);
            if (listener == null) {
                this.pubSub = null;
            } else {
                this.pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
                pubSub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        listener.message(channel, message);
                    }
                });
            }
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    @Override
    public RedisClusterCommands<byte[], byte[]> commands() {
        return commands.sync();
    }

    @Override
    public String publishCommand() {
        return "PUBLISH";
    }

    @Override
    public void publish(byte[] channel, byte[] message) {
        commands.sync().publish(channel, message);
    }

    @Override
    public void subscribe(byte[] channel) {
        pubSub.sync().subscribe(channel);
    }

    @Override
    public void unsubscribe(byte[] channel) {
        pubSub.sync().unsubscribe(channel);
    }

    @Override
    public void close() {
        connectionLog.closing();
        client.shutdown();
    }
}
