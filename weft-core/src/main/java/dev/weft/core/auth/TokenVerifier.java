package dev.weft.core.auth;

/** Checks connection and subscription tokens. Implementations are thread-safe and may block (key fetches). */
public interface TokenVerifier {

    /** Whether any key is configured; without one every token is invalid. */
    boolean configured();

    ConnectToken verifyConnectToken(String token) throws InvalidTokenException;

    SubscriptionToken verifySubscriptionToken(String token) throws InvalidTokenException;
}
