package dev.weft.postgres.changes;

/** A {@code pgoutput} message that does not follow the protocol; the message says where. */
public final class PgOutputFormatException extends IllegalArgumentException {
    public PgOutputFormatException(String message) {
        super(message);
    }
}
