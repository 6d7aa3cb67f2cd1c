package dev.weft.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies HS256/HS384/HS512 JWTs with one shared secret, claims as Centrifugo reads them. Any other
 * {@code alg} — {@code none}, or an RS/ES token presented to an HMAC key — is refused.
 *
 * <p>Parsing is nimbus-jose-jwt's; the MAC is computed with the JDK and compared in constant time, because
 * nimbus refuses secrets shorter than the algorithm's output and Centrifugo users have such secrets.
 *
 * <p>Thread-safe (immutable).
 */
public final class HmacTokenVerifier implements TokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tolerated clock difference for {@code nbf}/{@code iat} checks. */
    private static final long LEEWAY_SECONDS = 1;

    private final byte[] secret;
    private final Clock clock;

    public HmacTokenVerifier(String secret, Clock clock) {
        this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public HmacTokenVerifier(String secret) {
        this(secret, Clock.systemUTC());
    }

    @Override
    public boolean configured() {
        return secret.length > 0;
    }

    @Override
    public ConnectToken verifyConnectToken(String token) throws InvalidTokenException {
        JsonNode claims = verifiedClaims(token);
        byte[] info = rawJson(claims.get("info"));
        JsonNode b64info = claims.get("b64info");
        if (b64info != null && b64info.isTextual()) {
            try {
                info = Base64.getDecoder().decode(b64info.asText());
            } catch (IllegalArgumentException e) {
                throw InvalidTokenException.invalid("b64info is not base64");
            }
        }
        List<String> channels = new ArrayList<>();
        JsonNode channelsNode = claims.get("channels");
        if (channelsNode != null && channelsNode.isArray()) {
            channelsNode.forEach(c -> channels.add(c.asText()));
        }
        Map<String, byte[]> subs = new LinkedHashMap<>();
        JsonNode subsNode = claims.get("subs");
        if (subsNode != null && subsNode.isObject()) {
            subsNode.properties().forEach(e -> subs.put(e.getKey(), rawJson(e.getValue().get("data"))));
        }
        return new ConnectToken(text(claims, "sub"), expireAt(claims), info, channels, subs,
                rawJson(claims.get("meta")));
    }

    @Override
    public SubscriptionToken verifySubscriptionToken(String token) throws InvalidTokenException {
        JsonNode claims = verifiedClaims(token);
        String channel = text(claims, "channel");
        if (channel.isEmpty()) {
            throw InvalidTokenException.invalid("subscription token has no channel claim");
        }
        return new SubscriptionToken(text(claims, "sub"), channel, expireAt(claims), rawJson(claims.get("info")));
    }

    private JsonNode verifiedClaims(String token) throws InvalidTokenException {
        if (!configured()) {
            throw InvalidTokenException.invalid("no token key configured");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw InvalidTokenException.invalid("malformed token: " + e.getMessage());
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        String macName = macName(alg);
        if (macName == null) {
            throw InvalidTokenException.invalid("unsupported token algorithm " + alg);
        }
        byte[] expected = mac(macName, jwt.getSigningInput());
        if (!MessageDigest.isEqual(expected, jwt.getSignature().decode())) {
            throw InvalidTokenException.invalid("bad token signature");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(jwt.getPayload().toBytes());
        } catch (java.io.IOException e) {
            throw InvalidTokenException.invalid("token claims are not JSON");
        }
        if (claims == null || !claims.isObject()) {
            throw InvalidTokenException.invalid("token claims are not a JSON object");
        }
        long now = clock.instant().getEpochSecond();
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && nbf.canConvertToLong() && nbf.asLong() > now + LEEWAY_SECONDS) {
            throw InvalidTokenException.invalid("token not valid yet (nbf)");
        }
        long exp = expireAt(claims);
        if (exp > 0 && exp <= now) {
            throw new InvalidTokenException("token expired", true);
        }
        return claims;
    }

    private static String macName(JWSAlgorithm alg) {
        if (JWSAlgorithm.HS256.equals(alg)) {
            return "HmacSHA256";
        }
        if (JWSAlgorithm.HS384.equals(alg)) {
            return "HmacSHA384";
        }
        if (JWSAlgorithm.HS512.equals(alg)) {
            return "HmacSHA512";
        }
        return null;
    }

    private byte[] mac(String macName, byte[] input) {
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(secret, macName));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + macName, e);
        }
    }

    /** {@code expire_at} overrides {@code exp} for the connection's lifetime, as in Centrifugo. */
    private static long expireAt(JsonNode claims) {
        JsonNode expireAt = claims.get("expire_at");
        if (expireAt != null && expireAt.canConvertToLong()) {
            return expireAt.asLong();
        }
        JsonNode exp = claims.get("exp");
        return exp != null && exp.canConvertToLong() ? exp.asLong() : 0;
    }

    private static String text(JsonNode claims, String name) {
        JsonNode n = claims.get(name);
        return n == null || n.isNull() ? "" : n.asText();
    }

    private static byte[] rawJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
