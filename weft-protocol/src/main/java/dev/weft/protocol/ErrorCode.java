package dev.weft.protocol;

import dev.weft.protocol.model.ProtocolError;

/**
 * Reply error codes of client protocol v2 with their documented meanings. Codes 0–399 are reserved for
 * the protocol; applications use 400–1999. {@code temporary} errors may be retried by the SDK.
 */
public enum ErrorCode {
    INTERNAL(100, "internal server error", true),
    UNAUTHORIZED(101, "unauthorized", false),
    UNKNOWN_CHANNEL(102, "unknown channel", false),
    PERMISSION_DENIED(103, "permission denied", false),
    METHOD_NOT_FOUND(104, "method not found", false),
    ALREADY_SUBSCRIBED(105, "already subscribed", false),
    LIMIT_EXCEEDED(106, "limit exceeded", false),
    BAD_REQUEST(107, "bad request", false),
    NOT_AVAILABLE(108, "not available", false),
    TOKEN_EXPIRED(109, "token expired", false),
    EXPIRED(110, "expired", false),
    TOO_MANY_REQUESTS(111, "too many requests", true),
    UNRECOVERABLE_POSITION(112, "unrecoverable position", false),
    /** The token was revoked ({@code jti}) or its user's tokens invalidated: the SDK must not retry with it. */
    TOKEN_REVOKED(113, "token revoked", false);

    private final int code;
    private final String message;
    private final boolean temporary;
    private final ProtocolError error;

    ErrorCode(int code, String message, boolean temporary) {
        this.code = code;
        this.message = message;
        this.temporary = temporary;
        this.error = new ProtocolError(code, message, temporary);
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public boolean temporary() {
        return temporary;
    }

    /** The wire form of this error. */
    public ProtocolError error() {
        return error;
    }
}
