package dev.weft.server.ai;

/** A stream operation that cannot be carried out; the message says why, for the caller. Expected, no stack trace. */
public final class AiStreamException extends RuntimeException {
    /** What kind of refusal: the server API maps each to its error code. */
    public enum Kind {
        /** The request is malformed (bad id, bad part, unknown reserved part type). */
        BAD_REQUEST,
        /** No such stream (never created, or gone from history). */
        NOT_FOUND,
        /** The stream has ended, or the caller's generation is not the current one. */
        CONFLICT,
        /** A limit of {@code ai.streams.*}. */
        LIMIT,
        /** The channel's namespace keeps no history, or relays are off. */
        NOT_AVAILABLE
    }

    private final Kind kind;

    public AiStreamException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
