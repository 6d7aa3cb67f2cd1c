package dev.weft.protocol.model;

/** An error in a reply. {@code temporary} tells the SDK it may retry the command. */
public record ProtocolError(int code, String message, boolean temporary) {
    public ProtocolError {
        message = message == null ? "" : message;
    }
}
