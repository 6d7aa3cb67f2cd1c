package dev.weft.redis.internal;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * A Redis Cluster: commands go to the node owning their keys' slot (a script's keys share one slot, see
 * {@link Keys}); publications travel by sharded pub/sub ({@code SPUBLISH} inside the script, {@code SSUBSCRIBE}
 * on the node owning the channel's slot), so a message is sent to one shard rather than copied to every
 * node of the cluster. The topology is refreshed periodically and when Redis answers MOVED/ASK.
 * Thread-safe.
 */
final class ClusterShard extends LettuceShard {

    private final StatefulRedisClusterConnection<byte[], byte[]> commands;
    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> pubSub;

    ClusterShard(RedisClusterClient client, Listener listener) {
        super(client);
        this.commands = connect(() -> client.connect(ByteArrayCodec.INSTANCE));
        this.pubSub = listener == null ? null : connect(() -> {
            var connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
            connection.addListener(new RedisClusterPubSubAdapter<>() {
                @Override
                public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
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
        return "SPUBLISH";
    }

    @Override
    public void publish(byte[] channel, byte[] message) {
        commands.sync().spublish(channel, message);
    }

    @Override
    public void subscribe(byte[] channel) {
        pubSub.sync().ssubscribe(channel);
    }

    @Override
    public void unsubscribe(byte[] channel) {
        pubSub.sync().sunsubscribe(channel);
    }

    @Override
    public boolean connected() {
        return commands.isOpen() && (pubSub == null || pubSub.isOpen());
    }
}
