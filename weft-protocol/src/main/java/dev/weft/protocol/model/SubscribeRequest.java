package dev.weft.protocol.model;

/**
 * Subscribe to {@code channel}. With {@code recover}, {@code epoch} and {@code offset} name the last
 * publication the client saw; the server returns everything after it or says it cannot.
 * {@code delta} names the delta compression the client accepts ({@code "fossil"}, or empty for none);
 * {@code tagsFilter} ({@code tf}) keeps only publications whose tags match, null for all;
 * {@code flag} is a bit set of subscription features ({@link #FLAG_REJECT_UNRECOVERED}); {@code type} is the
 * subscription kind ({@link #TYPE_STREAM} is the ordinary one).
 */
public record SubscribeRequest(String channel, String token, boolean recover, String epoch, long offset,
                               byte[] data, boolean positioned, boolean recoverable, boolean joinLeave,
                               String delta, FilterNode tagsFilter, long flag, int type)
        implements Request {
    /** Refuse the subscription (error 112) rather than subscribe after a recovery that failed. */
    public static final long FLAG_REJECT_UNRECOVERED = 1L << 1;
    public static final int TYPE_STREAM = 0;

    public SubscribeRequest {
        channel = channel == null ? "" : channel;
        token = token == null ? "" : token;
        epoch = epoch == null ? "" : epoch;
        delta = delta == null ? "" : delta;
    }

    /** A stream subscription without delta compression or feature flags. */
    public SubscribeRequest(String channel, String token, boolean recover, String epoch, long offset,
                            byte[] data, boolean positioned, boolean recoverable, boolean joinLeave) {
        this(channel, token, recover, epoch, offset, data, positioned, recoverable, joinLeave, "", null, 0,
                TYPE_STREAM);
    }

    public static SubscribeRequest of(String channel) {
        return new SubscribeRequest(channel, "", false, "", 0, null, false, false, false);
    }

    public boolean rejectsUnrecovered() {
        return (flag & FLAG_REJECT_UNRECOVERED) != 0;
    }
}
