package dev.weft.core.auth;

/**
 * A token that is not accepted, and why — the reason decides what the client is told:
 * <ul>
 *   <li>{@link Kind#INVALID}: bad signature, wrong algorithm, malformed, wrong audience or issuer (disconnect
 *       3500 at connect);</li>
 *   <li>{@link Kind#EXPIRED}: valid but too old, or not valid yet (error 109: the SDK gets a fresh one);</li>
 *   <li>{@link Kind#REVOKED}: its {@code jti} was revoked or its user's tokens invalidated (error 113);</li>
 *   <li>{@link Kind#UNAVAILABLE}: it could not be checked now — the JWKS endpoint is unreachable (error 100,
 *       temporary: the SDK retries).</li>
 * </ul>
 * Carries no stack trace: refusals are expected outcomes.
 */
public final class InvalidTokenException extends Exception {
    /** Why a token was not accepted. */
    public enum Kind { INVALID, EXPIRED, REVOKED, UNAVAILABLE }

    private final Kind kind;

    public InvalidTokenException(String reason, Kind kind) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public static InvalidTokenException invalid(String reason) {
        return new InvalidTokenException(reason, Kind.INVALID);
    }

    public static InvalidTokenException expired(String reason) {
        return new InvalidTokenException(reason, Kind.EXPIRED);
    }

    public static InvalidTokenException revoked(String reason) {
        return new InvalidTokenException(reason, Kind.REVOKED);
    }

    public static InvalidTokenException unavailable(String reason) {
        return new InvalidTokenException(reason, Kind.UNAVAILABLE);
    }

    public Kind kind() {
        return kind;
    }

    public boolean expired() {
        return kind == Kind.EXPIRED;
    }
}
