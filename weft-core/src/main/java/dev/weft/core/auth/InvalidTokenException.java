package dev.weft.core.auth;

/**
 * A token that must not be accepted. {@code expired} separates "valid but too old" (the client should get a
 * fresh one: error 109) from everything else (disconnect 3500).
 */
public final class InvalidTokenException extends Exception {
    private final boolean expired;

    public InvalidTokenException(String reason, boolean expired) {
        super(reason, null, false, false);
        this.expired = expired;
    }

    public static InvalidTokenException invalid(String reason) {
        return new InvalidTokenException(reason, false);
    }

    public boolean expired() {
        return expired;
    }
}
