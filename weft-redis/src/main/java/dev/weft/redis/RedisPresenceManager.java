package dev.weft.redis;

import dev.weft.core.presence.PresenceManager;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.redis.internal.ConsistentHash;
import dev.weft.redis.internal.Keys;
import dev.weft.redis.internal.RedisCalls;
import dev.weft.redis.internal.RedisConnector;
import dev.weft.redis.internal.Script;
import dev.weft.redis.internal.Shard;
import dev.weft.redis.internal.Wire;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link PresenceManager} in Redis, shared by every node: per channel a sorted set (client → expiry, by
 * Redis server time) and a hash (client → info), both expiring with their longest-lived entry. Each operation
 * is one Lua script, so an entry and its expiry change together; reads drop expired entries. Entries added
 * with their node's id are also listed under that node ({@link Keys#nodePresence}), so that
 * {@link #removeNodePresence} drops a gone node's entries at once instead of after their TTL. Channels are
 * spread over several Redis servers like the broker's ({@link ConsistentHash}).
 *
 * <p>Thread-safe: Lettuce connections are.
 */
public final class RedisPresenceManager implements PresenceManager {

    private final Keys keys;
    private final ClientResources resources;
    private final List<Shard> shards;

    /**
     * Connects to every configured Redis.
     *
     * @throws io.lettuce.core.RedisConnectionException if a Redis cannot be reached
     */
    public RedisPresenceManager(RedisEngineConfig config) {
        this.keys = new Keys(config.prefix());
        this.resources = RedisConnector.resources();
        try {
            this.shards = RedisConnector.shards(config, resources, null);
        } catch (RuntimeException e) {
            resources.shutdown();
            throw e;
        }
    }

    @Override
    public Map<String, ClientInfo> presence(String channel) {
        Objects.requireNonNull(channel, "channel");
        List<Object> reply = RedisCalls.call("presence", () -> Script.PRESENCE_GET.run(commands(channel),
                new byte[][]{keys.presenceExpiry(channel), keys.presenceInfo(channel)}));
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            String client = new String((byte[]) reply.get(i), StandardCharsets.UTF_8);
            out.put(client, Wire.info(ByteBuffer.wrap((byte[]) reply.get(i + 1))));
        }
        return Map.copyOf(out);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    @Override
    public void addPresence(String channel, String clientId, ClientInfo info, Duration ttl) {
        PresenceManager.checkAddPresence(channel, clientId, info, ttl);
        byte[] ttlArg = Long.toString(millis(ttl)).getBytes(StandardCharsets.US_ASCII);
        RedisCalls.call("add presence", () -> Script.PRESENCE_ADD.run(commands(channel),
                new byte[][]{keys.presenceExpiry(channel), keys.presenceInfo(channel)},
                ttlArg, clientId.getBytes(StandardCharsets.UTF_8), Wire.info(info)));
    }

    @Override
    public void addPresence(String channel, String clientId, ClientInfo info, Duration ttl, String node) {
        addPresence(channel, clientId, info, ttl);
        if (node == null || node.isEmpty()) {
            return;
        }
        byte[] index = keys.nodePresence(node);
        byte[] field = (clientId + "\0" + channel).getBytes(StandardCharsets.UTF_8);
        long ms = millis(ttl);
        RedisCalls.run("index presence", () -> {
            RedisClusterCommands<byte[], byte[]> commands = commands(node);
            commands.hset(index, field, new byte[0]);
            commands.pexpire(index, ms); // every entry listed expires by then too (one TTL per node)
        });
    }

    /**
     * Reads the node's list, removes each entry that is still present and returns those; entries the node had
     * removed already (the list is not trimmed on removal) are skipped, so no leave is reported twice.
     */
    @Override
    public Map<String, List<ClientInfo>> removeNodePresence(String node) {
        Objects.requireNonNull(node, "node");
        Map<String, List<ClientInfo>> removed = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return removed;
        }
        byte[] index = keys.nodePresence(node);
        Map<byte[], byte[]> listed = RedisCalls.call("read node presence", () -> commands(node).hgetall(index));
        Map<String, List<String>> clientsByChannel = new LinkedHashMap<>();
        for (byte[] field : listed.keySet()) {
            String entry = new String(field, StandardCharsets.UTF_8);
            int split = entry.indexOf('\0');
            if (split > 0) {
                clientsByChannel.computeIfAbsent(entry.substring(split + 1), c -> new ArrayList<>())
                        .add(entry.substring(0, split));
            }
        }
        clientsByChannel.forEach((channel, clients) -> {
            Map<String, ClientInfo> present = presence(channel);
            for (String client : clients) {
                ClientInfo info = present.get(client);
                if (info != null) {
                    removePresence(channel, client);
                    removed.computeIfAbsent(channel, c -> new ArrayList<>()).add(info);
                }
            }
        });
        RedisCalls.run("drop node presence", () -> commands(node).del(index));
        return removed;
    }

    @Override
    public void removePresence(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        RedisCalls.call("remove presence", () -> Script.PRESENCE_REMOVE.run(commands(channel),
                new byte[][]{keys.presenceExpiry(channel), keys.presenceInfo(channel)},
                clientId.getBytes(StandardCharsets.UTF_8)));
    }

    private static long millis(Duration ttl) {
        try {
            return Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public void close() {
        shards.forEach(Shard::close);
        resources.shutdown();
    }

    private RedisClusterCommands<byte[], byte[]> commands(String channel) {
        return shards.get(ConsistentHash.index(channel, shards.size())).commands();
    }
}
