package dev.weft.core.hub;

import dev.weft.core.transport.PushFormat;
import dev.weft.protocol.delta.DeltaPublications;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;

/**
 * A push encoded at most once per {@link PushFormat}, on first use: the same bytes then go to every
 * subscriber using that format. A publication for delta-compressed subscribers is likewise encoded once per
 * format and base (the data those subscribers got before, compared by identity: subscribers that got the same
 * previous publication hold the same array), so a delta is computed once, not once per subscriber.
 *
 * <p>Thread-safe: lookups read an immutable snapshot without locking; a miss encodes and appends under
 * {@code this}, so each format (and base) is encoded once.
 */
public final class EncodedPush {
    private final Push push;
    private final String epoch;
    private final boolean deltaPublished;
    /** Alternating format, bytes; replaced (never mutated) on append. */
    private volatile Object[] encodings = new Object[0];
    /** Triples format, base (null = none), bytes; replaced (never mutated) on append. */
    private volatile Object[] deltaEncodings = new Object[0];

    /**
     * @param epoch stream epoch of the publication's offset ("" for joins, leaves, streams without history)
     */
    public EncodedPush(Push push, String epoch) {
        this(push, epoch, false);
    }

    /**
     * @param epoch          as above
     * @param deltaPublished the publication was published for delta compression (Centrifuge's
     *                       {@code UseDelta}): only then does a delta-compressed subscriber get a delta
     */
    public EncodedPush(Push push, String epoch, boolean deltaPublished) {
        this.push = push;
        this.epoch = epoch == null ? "" : epoch;
        this.deltaPublished = deltaPublished;
    }

    public boolean deltaPublished() {
        return deltaPublished;
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

    /**
     * The publication as a delta-compressed subscriber gets it, given the data it got last ({@code base}, null
     * for none; see {@link DeltaPublications}). Without {@link #deltaPublished} the base is not used: the data
     * goes whole, in the form delta subscribers read (a JSON string in JSON), as Centrifuge sends a publication
     * published without {@code delta}.
     */
    public byte[] deltaBytes(PushFormat format, byte[] base, boolean json) {
        if (!deltaPublished) {
            base = null;
        }
        byte[] found = findDelta(deltaEncodings, format, base);
        if (found != null) {
            return found;
        }
        synchronized (this) {
            Object[] current = deltaEncodings;
            found = findDelta(current, format, base);
            if (found != null) {
                return found;
            }
            Publication publication = DeltaPublications.relativeTo(base, (Publication) push.body(), json);
            byte[] encoded = format.encode(new Push(push.channel(), publication), epoch);
            Object[] next = java.util.Arrays.copyOf(current, current.length + 3);
            next[current.length] = format;
            next[current.length + 1] = base;
            next[current.length + 2] = encoded;
            deltaEncodings = next;
            return encoded;
        }
    }

    private static byte[] findDelta(Object[] snapshot, PushFormat format, byte[] base) {
        for (int i = 0; i < snapshot.length; i += 3) {
            if (snapshot[i] == format && snapshot[i + 1] == base) {
                return (byte[]) snapshot[i + 2];
            }
        }
        return null;
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
