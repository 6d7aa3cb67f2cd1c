package dev.weft.protocol.model;

/**
 * Subscribe to {@code channel}. With {@code recover}, {@code epoch} and {@code offset} name the last
 * publication the client saw; the server returns everything after it or says it cannot.
 */
public record SubscribeRequest(String channel, String token, boolean recover, String epoch, long offset,
                               byte[] data, boolean positioned, boolean recoverable, boolean joinLeave)
        implements Request {
    public SubscribeRequest {
        channel = channel == null ? "" : channel;
        token = token == null ? "" : token;
        epoch = epoch == null ? "" : epoch;
    }

    public static SubscribeRequest of(String channel) {
        return new SubscribeRequest(channel, "", false, "", 0, null, false, false, false);
    }
}
