package dev.weft.core.auth;

import java.util.regex.Pattern;

/**
 * Where the keys for checking JWTs come from and which claims must match, named after Centrifugo v6's
 * {@code client.token.*} (and {@code client.subscription_token.*}) options. Any combination of key sources
 * may be set; a token's {@code alg} picks the one it is checked with (see {@link JwtVerifier}).
 *
 * @param hmacSecretKey      shared secret for HS256/384/512; "" = HMAC tokens refused
 * @param rsaPublicKey       PEM (or base64 of PEM, or a path to a PEM file) for RS256/384/512; "" = none
 * @param ecdsaPublicKey     same for ES256/384/512 (the curve must match the algorithm); "" = none
 * @param jwksPublicEndpoint URL of a JSON Web Key Set (RSA, EC and Ed25519 keys, chosen by {@code kid}); "" = none
 * @param audience           when set, the token's {@code aud} must contain it
 * @param audienceRegex      when set, one {@code aud} entry must contain a match (unanchored, as in Centrifugo:
 *                           write {@code ^…$} to match the whole value); not with {@code audience}
 * @param issuer             when set, the token's {@code iss} must equal it
 * @param issuerRegex        when set, {@code iss} must contain a match (unanchored); not with {@code issuer}
 * @param userIdClaim        claim holding the user ID instead of {@code sub}; "" = {@code sub}
 */
public record TokenOptions(String hmacSecretKey, String rsaPublicKey, String ecdsaPublicKey,
                           String jwksPublicEndpoint, String audience, Pattern audienceRegex, String issuer,
                           Pattern issuerRegex, String userIdClaim) {

    public static final TokenOptions NONE = builder().build();

    public TokenOptions {
        hmacSecretKey = orEmpty(hmacSecretKey);
        rsaPublicKey = orEmpty(rsaPublicKey);
        ecdsaPublicKey = orEmpty(ecdsaPublicKey);
        jwksPublicEndpoint = orEmpty(jwksPublicEndpoint);
        audience = orEmpty(audience);
        issuer = orEmpty(issuer);
        userIdClaim = orEmpty(userIdClaim);
        if (!audience.isEmpty() && audienceRegex != null) {
            throw new IllegalArgumentException("set audience or audience_regex, not both");
        }
        if (!issuer.isEmpty() && issuerRegex != null) {
            throw new IllegalArgumentException("set issuer or issuer_regex, not both");
        }
    }

    /** Whether any key source is configured; without one every token is refused. */
    public boolean hasKeys() {
        return !hmacSecretKey.isEmpty() || !rsaPublicKey.isEmpty() || !ecdsaPublicKey.isEmpty()
                || !jwksPublicEndpoint.isEmpty();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().hmacSecretKey(hmacSecretKey).rsaPublicKey(rsaPublicKey).ecdsaPublicKey(ecdsaPublicKey)
                .jwksPublicEndpoint(jwksPublicEndpoint).audience(audience).audienceRegex(audienceRegex)
                .issuer(issuer).issuerRegex(issuerRegex).userIdClaim(userIdClaim);
    }

    /** Mutable builder, everything unset by default; not thread-safe. */
    public static final class Builder {
        private String hmacSecretKey = "";
        private String rsaPublicKey = "";
        private String ecdsaPublicKey = "";
        private String jwksPublicEndpoint = "";
        private String audience = "";
        private Pattern audienceRegex;
        private String issuer = "";
        private Pattern issuerRegex;
        private String userIdClaim = "";

        public Builder hmacSecretKey(String v) { hmacSecretKey = v; return this; }
        public Builder rsaPublicKey(String v) { rsaPublicKey = v; return this; }
        public Builder ecdsaPublicKey(String v) { ecdsaPublicKey = v; return this; }
        public Builder jwksPublicEndpoint(String v) { jwksPublicEndpoint = v; return this; }
        public Builder audience(String v) { audience = v; return this; }
        public Builder audienceRegex(Pattern v) { audienceRegex = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder issuerRegex(Pattern v) { issuerRegex = v; return this; }
        public Builder userIdClaim(String v) { userIdClaim = v; return this; }

        public TokenOptions build() {
            return new TokenOptions(hmacSecretKey, rsaPublicKey, ecdsaPublicKey, jwksPublicEndpoint, audience,
                    audienceRegex, issuer, issuerRegex, userIdClaim);
        }
    }
}
