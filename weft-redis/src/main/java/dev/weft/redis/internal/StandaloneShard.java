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
final class StandaloneShard extends LettuceShard {

    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;

    StandaloneShard(RedisClient client, Listener listener) {
        super(client);
        this.commands = connect(() -> client.connect(ByteArrayCodec.INSTANCE));
        this.pubSub = listener == null ? null : connect(() -> {
            var connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    listener.message(channel, message);
                }
            });
            return connection;
        });
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
    public boolean connected() {
        return commands.isOpen() && (pubSub == null || pubSub.isOpen());
    }
}
