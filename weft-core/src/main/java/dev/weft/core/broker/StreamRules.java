package dev.weft.core.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The stream arithmetic every single-node broker ({@link MemoryBroker}, the SQLite broker) applies the same
 * way: expiry times that saturate instead of overflowing, and unsigned 64-bit offsets that start a new epoch
 * once used up. Stateless; any thread.
 */
public final class StreamRules {

    /** An expiry time that never comes. */
    public static final long NEVER = Long.MAX_VALUE;
    /** The largest unsigned 64-bit offset. */
    public static final long MAX_OFFSET = -1L;

    private static final Logger log = LoggerFactory.getLogger(StreamRules.class);

    private StreamRules() {
    }

    /** {@code now + ttl} in clock millis (at least 1 ms later), saturating at {@link #NEVER}. */
    public static long expiry(long now, Duration ttl) {
        long millis;
        try {
            millis = Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return NEVER;
        }
        long at = now + millis;
        return at < now ? NEVER : at;
    }

    /**
     * Whether the stream ({@code epoch} null for none) has used up its offsets, so the next publication must
     * start a new epoch; logged when so.
     */
    public static boolean offsetsUsedUp(String channel, String epoch, long top) {
        if (epoch == null || top != MAX_OFFSET) {
            return false;
        }
        log.warn("Channel {} used up its 64-bit offsets; starting a new epoch", channel);
        return true;
    }
}
