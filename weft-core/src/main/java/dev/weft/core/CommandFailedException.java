package dev.weft.core;

import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ProtocolError;

/**
 * A command (client or server API) that cannot be carried out, with the protocol error to answer it with.
 * Thrown inside the engine, turned into an error reply at the edge; it carries no stack trace because it
 * is an expected outcome, not a bug.
 */
public final class CommandFailedException extends RuntimeException {
    private final transient ProtocolError error;

    public CommandFailedException(ErrorCode code) {
        this(code.error(), code.message());
    }

    public CommandFailedException(ErrorCode code, String detail) {
        this(code.error(), detail);
    }

    public CommandFailedException(ProtocolError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    public ProtocolError error() {
        return error;
    }
}
