package dev.weft.core.auth;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;

/**
 * Checks connection and subscription JWTs the way Centrifugo v6 does, from one {@link TokenOptions}: the
 * signature with the key the token's {@code alg} calls for ({@link SignatureKeys}: HMAC secret, RSA or ECDSA
 * PEM key, or a JWKS endpoint), then {@code exp}/{@code nbf}, then the configured {@code aud}/{@code iss}, then
 * the claims ({@link TokenClaims}). JOSE parsing is nimbus-jose-jwt's; {@code alg: none} never parses as a
 * signed token and so is refused.
 *
 * <p>Order matters for what a client learns: a token with a bad signature is "invalid" even when it is also
 * expired, so an expired-looking forgery never earns the "please refresh" answer.
 *
 * <p>Thread-safe (immutable; the JWKS cache is itself thread-safe). A call whose key must be fetched from the JWKS
 * endpoint blocks, at most {@link JwksKeySource.Settings#fetchBound()} (plus a moment): call from a virtual thread.
 */
public final class JwtVerifier implements TokenVerifier {
    private final TokenOptions options;
    private final SignatureKeys keys;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException when a configured key cannot be read or the JWKS URL is not http(s)
     */
    public JwtVerifier(TokenOptions options, Clock clock, JwksKeySource.Settings jwksSettings) {
        this.options = options;
        this.clock = clock;
        JwksKeySource jwks = options.jwksPublicEndpoint().isEmpty() ? null
                : new JwksKeySource(URI.create(options.jwksPublicEndpoint()), jwksSettings, clock);
        this.keys = new SignatureKeys(options, jwks);
    }

    public JwtVerifier(TokenOptions options, Clock clock) {
        this(options, clock, JwksKeySource.Settings.DEFAULT);
    }

    /** HMAC-only verifier (tests, embedding). */
    public static JwtVerifier hmac(String secret, Clock clock) {
        return new JwtVerifier(TokenOptions.builder().hmacSecretKey(secret).build(), clock);
    }

    @Override
    public boolean configured() {
        return keys.configured();
    }

    @Override
    public ConnectToken verifyConnectToken(String token) throws InvalidTokenException {
        return verified(token).connectToken(options.userIdClaim());
    }

    @Override
    public SubscriptionToken verifySubscriptionToken(String token) throws InvalidTokenException {
        return verified(token).subscriptionToken(options.userIdClaim());
    }

    private TokenClaims verified(String token) throws InvalidTokenException {
        if (!keys.configured()) {
            throw InvalidTokenException.invalid("no token key configured");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw InvalidTokenException.invalid("malformed token: " + e.getMessage());
        }
        if (jwt.getState() != JWSObject.State.SIGNED) {
            throw InvalidTokenException.invalid("token is not signed");
        }
        keys.verify(jwt);
        TokenClaims claims = TokenClaims.parse(jwt.getPayload().toBytes());
        claims.checkTime(clock.instant());
        claims.checkAudienceAndIssuer(options);
        return claims;
    }
}
