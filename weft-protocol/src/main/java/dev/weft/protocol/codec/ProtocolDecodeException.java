package dev.weft.protocol.codec;

/** A frame that is not valid client protocol: malformed JSON/Protobuf, a wrong type, a truncated message. */
public final class ProtocolDecodeException extends Exception {
    public ProtocolDecodeException(String message) {
        super(message);
    }

    public ProtocolDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
