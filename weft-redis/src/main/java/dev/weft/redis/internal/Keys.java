package dev.weft.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * Names of everything Weft keeps in Redis under one prefix ({@code engine.redis.prefix}). Every name carries
 * its channel's partition as a hash tag, {@code {pN}} with N in [0, {@link #PARTITIONS}), so that in a Redis
 * Cluster all of a channel's keys, its pub/sub channel and the partition's seed share one slot (a script may
 * only touch one slot), while channels still spread over the cluster. Per channel:
 * <pre>
 * prefix:{pN}:m:&lt;ch&gt;      stream meta, hash {e: epoch, s: top offset}
 * prefix:{pN}:s:&lt;ch&gt;      history, a Redis Stream; entry id "&lt;offset&gt;-1", fields d (body), x (expires at,
 * ms)
 * prefix:{pN}:n:&lt;ch&gt;      epoch the channel's next stream gets, "&lt;day&gt;:&lt;epoch&gt;" (see epoch.lua)
 * prefix:{pN}:i:&lt;len&gt;:&lt;ch&gt;:&lt;key&gt;   idempotent publish result "&lt;offset&gt;:&lt;epoch&gt;"
 * prefix:{pN}:pz:&lt;ch&gt;, prefix:{pN}:ph:&lt;ch&gt;   presence: client → expiry (sorted set), client → info (hash)
 * prefix:{pN}:pn:&lt;node&gt;  presence entries of one node (partitioned by node id), to drop them when it is gone
 * prefix:{pN}:c:&lt;ch&gt;      pub/sub channel (a shard channel in a cluster)
 * prefix:{pN}:seed        the seed empty channels' epochs are derived from (one per partition)
 * </pre>
 * Immutable.
 */
public final class Keys {

    /** Partitions channels are grouped in: bounds the seed keys, spreads channels over a cluster's slots. */
    public static final int PARTITIONS = 128;

    private final String prefix;

    public Keys(String prefix) {
        this.prefix = prefix;
    }

    public byte[] meta(String channel) {
        return key("m", channel);
    }

    public byte[] stream(String channel) {
        return key("s", channel);
    }

    public byte[] nextEpoch(String channel) {
        return key("n", channel);
    }

    /** Length-prefixed so that channel "a:b" with key "c" and channel "a" with key "b:c" differ. */
    public byte[] idempotency(String channel, String idempotencyKey) {
        return utf8(tag(channel) + "i:" + channel.length() + ":" + channel + ":" + idempotencyKey);
    }

    public byte[] presenceExpiry(String channel) {
        return key("pz", channel);
    }

    public byte[] presenceInfo(String channel) {
        return key("ph", channel);
    }

    /** The presence entries a node holds: hash "&lt;client&gt;\0&lt;channel&gt;" → "", partitioned by node id. */
    public byte[] nodePresence(String node) {
        return key("pn", node);
    }

    public byte[] pubSub(String channel) {
        return key("c", channel);
    }

    /** The Weft channel of a pub/sub channel named by {@link #pubSub}, or null if it is not one. */
    public String channelOf(byte[] pubSubChannel) {
        String name = new String(pubSubChannel, StandardCharsets.UTF_8);
        String start = prefix + ":{p";
        if (!name.startsWith(start)) {
            return null;
        }
        int end = name.indexOf("}:c:", start.length());
        return end < 0 ? null : name.substring(end + 4);
    }

    public byte[] seed(String channel) {
        return utf8(tag(channel) + "seed");
    }

    private byte[] key(String kind, String channel) {
        return utf8(tag(channel) + kind + ":" + channel);
    }

    private String tag(String channel) {
        return prefix + ":{p" + ConsistentHash.index(channel, PARTITIONS) + "}:";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
