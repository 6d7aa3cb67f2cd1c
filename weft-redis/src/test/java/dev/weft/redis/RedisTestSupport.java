package dev.weft.redis;

import dev.weft.redis.internal.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The machine's Redis (127.0.0.1:6379) for tests, under a prefix of their own that they clean up; shared with
 * the server's tests through this module's test-jar.
 */
public final class RedisTestSupport {

    public static final String ADDRESS = "127.0.0.1:6379";

    private RedisTestSupport() {
    }

    /** A prefix no other test run uses. */
    public static String uniquePrefix() {
        return "weft-test-" + UUID.randomUUID();
    }

    public static RedisEngineConfig config(String prefix) {
        return RedisEngineConfig.of(List.of(ADDRESS), prefix);
    }

    /** Name of one of a channel's keys, e.g. {@code key(prefix, Keys::meta, channel)}. */
    public static String key(String prefix, BiFunction<Keys, String, byte[]> kind, String channel) {
        return new String(kind.apply(new Keys(prefix), channel), StandardCharsets.UTF_8);
    }

    /** Keys under {@code prefix} that belong to channels (every key but the partitions' seeds). */
    public static List<String> channelKeys(String address, String prefix) {
        Pattern seed = Pattern.compile(Pattern.quote(prefix) + ":\\{p\\d+\\}:seed");
        return keys(address, prefix).stream().filter(k -> !seed.matcher(k).matches()).toList();
    }

    /** Keys under {@code prefix}, as {@code SCAN} finds them. */
    public static List<String> keys(String address, String prefix) {
        RedisClient client = RedisClient.create("redis://" + address);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> out = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return out;
        } finally {
            client.shutdown();
        }
    }

    /** Deletes every key under {@code prefix}. */
    public static void deleteKeys(String address, String prefix) {
        List<String> keys = keys(address, prefix);
        if (keys.isEmpty()) {
            return;
        }
        RedisClient client = RedisClient.create("redis://" + address);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String key : keys) { // one at a time: a cluster node refuses keys of several slots at once
                c.sync().unlink(key);
            }
        } finally {
            client.shutdown();
        }
    }

    /** Runs one command against a Redis, for tests that reach behind the broker's back. */
    public static <T> T withRedis(String address, Function<RedisCommands<String, String>, T> action) {
        RedisClient client = RedisClient.create("redis://" + address);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return action.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }
}
