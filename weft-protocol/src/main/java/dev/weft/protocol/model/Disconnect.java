package dev.weft.protocol.model;

/** Why the server closes a connection; {@code reconnect} tells the SDK whether to come back. */
public record Disconnect(int code, String reason, boolean reconnect) implements PushBody {
    public Disconnect {
        reason = reason == null ? "" : reason;
    }
}
