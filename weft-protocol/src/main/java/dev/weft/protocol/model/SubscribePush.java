package dev.weft.protocol.model;

/** The server subscribed the client to the push's channel ({@code subscribe} push, server-side subscriptions). */
public record SubscribePush(boolean recoverable, String epoch, long offset, boolean positioned, byte[] data)
        implements PushBody {
    public SubscribePush {
        epoch = epoch == null ? "" : epoch;
    }
}
