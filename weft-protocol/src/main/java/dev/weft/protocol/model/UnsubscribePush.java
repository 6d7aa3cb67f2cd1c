package dev.weft.protocol.model;

/** The server unsubscribed the client from the push's channel ({@code unsubscribe} push). */
public record UnsubscribePush(int code, String reason) implements PushBody {
    public UnsubscribePush {
        reason = reason == null ? "" : reason;
    }
}
