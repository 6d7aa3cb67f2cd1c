package dev.weft.store.sqlite;

/** The channel history file could not be opened, read or written; the message says which file and why. */
public final class SqliteBrokerException extends RuntimeException {
    public SqliteBrokerException(String message) {
        super(message);
    }

    public SqliteBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
