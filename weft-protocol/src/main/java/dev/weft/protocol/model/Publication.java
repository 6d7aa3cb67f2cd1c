package dev.weft.protocol.model;

import java.util.Map;

/**
 * A message in a channel. {@code offset} is its position in the channel's stream (0 when the channel keeps
 * no history); the stream's epoch travels in subscribe/history results, not here. {@code time} is Unix
 * milliseconds, 0 when not sent. {@code delta}: {@code data} is a Fossil delta against the previous
 * publication this subscriber got (only on delta-compressed subscriptions).
 */
public record Publication(byte[] data, ClientInfo info, long offset, Map<String, String> tags, boolean delta,
                          long time)
        implements PushBody {
    public Publication {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public Publication(byte[] data, ClientInfo info, long offset) {
        this(data, info, offset, Map.of(), 0);
    }

    public Publication(byte[] data, ClientInfo info, long offset, Map<String, String> tags, long time) {
        this(data, info, offset, tags, false, time);
    }

    public Publication withOffset(long newOffset) {
        return new Publication(data, info, newOffset, tags, delta, time);
    }

    /** The same publication carrying other data: a delta, or the full data in another encoding. */
    public Publication withData(byte[] newData, boolean isDelta) {
        return new Publication(newData, info, offset, tags, isDelta, time);
    }
}
