package dev.weft.core.hub;

import dev.weft.core.transport.PushFormat;
import dev.weft.protocol.model.Push;

/**
 * A push encoded at most once per {@link PushFormat}, on first use: the same bytes then go to every
 * subscriber using that format.
 *
 * <p>Thread-safe: lookups read an immutable snapshot without locking; a miss encodes and appends under
 * {@code this}, so each format is encoded once.
 */
public final class EncodedPush {
    private final Push push;
    private final String epoch;
    /** Alternating format, bytes; replaced (never mutated) on append. */
    private volatile Object[] encodings = new Object[0];

    /**
     * @param epoch stream epoch of the publication's offset ("" for joins, leaves, streams without history)
     */
    public EncodedPush(Push push, String epoch) {
        this.push = push;
        this.epoch = epoch == null ? "" : epoch;
    }

    public Push push() {
        return push;
    }

    public byte[] bytes(PushFormat format) {
        byte[] found = find(encodings, format);
        if (found != null) {
            return found;
        }
        synchronized (this) {
            Object[] current = encodings;
            found = find(current, format);
            if (found != null) {
                return found;
            }
            byte[] encoded = format.encode(push, epoch);
            Object[] next = java.util.Arrays.copyOf(current, current.length + 2);
            next[current.length] = format;
            next[current.length + 1] = encoded;
            encodings = next;
            return encoded;
        }
    }

    private static byte[] find(Object[] snapshot, PushFormat format) {
        for (int i = 0; i < snapshot.length; i += 2) {
            if (snapshot[i] == format) {
                return (byte[]) snapshot[i + 1];
            }
        }
        return null;
    }
}
