package dev.weft.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * Which of n Redis servers holds a channel: Jump consistent hash (Lamping and Veach) of the channel name's
 * 64-bit FNV-1a hash, as Centrifugo shards channels. Adding a server moves only about 1/n of the channels.
 */
public final class ConsistentHash {

    private ConsistentHash() {
    }

    public static int index(String channel, int buckets) {
        if (buckets == 1) {
            return 0;
        }
        return jump(fnv1a(channel.getBytes(StandardCharsets.UTF_8)), buckets);
    }

    static long fnv1a(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
