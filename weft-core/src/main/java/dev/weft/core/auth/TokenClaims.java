package dev.weft.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The claims of a JWT whose signature was already checked, read as Centrifugo v6 reads them, and the time,
 * audience and issuer checks. Kept as raw JSON (Jackson tree) rather than nimbus's claim set so that
 * {@code info}, {@code data} and {@code meta} reach clients byte-for-byte as the application wrote them.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class TokenClaims {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tolerated clock difference for {@code nbf} (the backend's clock may run a little ahead). */
    private static final BigDecimal NBF_LEEWAY_SECONDS = BigDecimal.ONE;
    /** Claims holding a NumericDate (RFC 7519 section 2: seconds since the epoch, fractions allowed). */
    private static final String[] DATE_CLAIMS = {"exp", "nbf", "iat"};
    /** Largest date accepted, 9999-12-31T23:59:59Z (as far as Go's JSON times go); beyond it is no date. */
    private static final BigDecimal MAX_DATE = BigDecimal.valueOf(253_402_300_799L);

    private final JsonNode claims;

    private TokenClaims(JsonNode claims) {
        this.claims = claims;
    }

    static TokenClaims parse(byte[] payload) throws InvalidTokenException {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw InvalidTokenException.invalid("token claims are not JSON");
        }
        if (node == null || !node.isObject()) {
            throw InvalidTokenException.invalid("token claims are not a JSON object");
        }
        // A registered claim of the wrong type must not silently read as "absent" (an "exp" of "9" is no expiry
        // the issuer meant to drop): Centrifugo's decoder refuses such tokens too. A number that cannot be a
        // date (1e300) is no date either: it would otherwise wrap or saturate into "never".
        for (String name : DATE_CLAIMS) {
            JsonNode n = node.get(name);
            if (n != null && !n.isNull()) {
                if (!n.isNumber()) {
                    throw InvalidTokenException.invalid("claim " + name + " is not a number");
                }
                if (n.decimalValue().abs().compareTo(MAX_DATE) > 0) {
                    throw InvalidTokenException.invalid("claim " + name + " is not a date (out of range)");
                }
            }
        }
        JsonNode expireAt = node.get("expire_at");
        if (expireAt != null && !expireAt.isNull() && (!expireAt.isIntegralNumber() || expireAt.decimalValue()
                .signum() < 0 || expireAt.decimalValue().compareTo(MAX_DATE) > 0)) {
            // Centrifugo reads it as an int64 (a fraction fails to decode); a negative one has no meaning.
            throw InvalidTokenException.invalid("claim expire_at is not a whole number of seconds >= 0");
        }
        for (String name : new String[] {"sub", "iss", "jti", "channel", "client"}) {
            JsonNode n = node.get(name);
            if (n != null && !n.isNull() && !n.isTextual()) {
                throw InvalidTokenException.invalid("claim " + name + " is not a string");
            }
        }
        return new TokenClaims(node);
    }

    /**
     * {@code exp} and {@code nbf} against {@code now}: either failing means "expired" (109). A present
     * {@code exp} is compared as the number it is, fraction included, as Centrifugo's cristalhq/jwt does: 0, 0.5
     * and -1 are long past, never "absent". Only a missing (or null) {@code exp} means the token never expires.
     */
    void checkTime(Instant now) throws InvalidTokenException {
        BigDecimal nowSeconds = BigDecimal.valueOf(now.getEpochSecond()).add(BigDecimal.valueOf(now.getNano(), 9));
        BigDecimal exp = date("exp");
        if (exp != null && exp.compareTo(nowSeconds) <= 0) {
            throw InvalidTokenException.expired("token expired");
        }
        BigDecimal nbf = date("nbf");
        if (nbf != null && nbf.compareTo(nowSeconds.add(NBF_LEEWAY_SECONDS)) > 0) {
            throw InvalidTokenException.expired("token not valid yet (nbf)");
        }
    }

    /** The configured {@code aud}/{@code iss} requirements; a token failing them is invalid. */
    void checkAudienceAndIssuer(TokenOptions options) throws InvalidTokenException {
        if (!options.audience().isEmpty() && !anyAudience(options.audience()::equals)) {
            throw InvalidTokenException.invalid("token audience does not include " + options.audience());
        }
        if (options.audienceRegex() != null && !anyAudience(a -> options.audienceRegex().matcher(a).find())) {
            throw InvalidTokenException.invalid("token audience does not match client.token.audience_regex");
        }
        String iss = text("iss");
        if (!options.issuer().isEmpty() && !options.issuer().equals(iss)) {
            throw InvalidTokenException.invalid("token issuer '" + iss + "' is not " + options.issuer());
        }
        if (options.issuerRegex() != null && (iss.isEmpty() || !options.issuerRegex().matcher(iss).find())) {
            throw InvalidTokenException.invalid("token issuer '" + iss + "' does not match issuer_regex");
        }
    }

    ConnectToken connectToken(String userIdClaim) throws InvalidTokenException {
        if (!text("channel").isEmpty()) {
            // Centrifugo's rule: a subscription token must not be usable as a connection token.
            throw InvalidTokenException.invalid("connection token has a channel claim");
        }
        Map<String, TokenSubscription> subs = new LinkedHashMap<>();
        JsonNode subsNode = claims.get("subs");
        if (subsNode != null && subsNode.isObject()) {
            for (var e : subsNode.properties()) {
                subs.put(e.getKey(), subscription(e.getValue()));
            }
        }
        JsonNode channels = claims.get("channels");
        if (channels != null && channels.isArray()) {
            for (JsonNode c : channels) {
                if (c.isTextual()) {
                    subs.putIfAbsent(c.asText(), TokenSubscription.NONE);
                }
            }
        }
        return new ConnectToken(user(userIdClaim), lifetimeEnd(), seconds("iat"), text("jti"),
                bytesOrBase64(claims, "info", "b64info"), subs, raw(claims.get("meta")));
    }

    SubscriptionToken subscriptionToken(String userIdClaim) throws InvalidTokenException {
        String channel = text("channel");
        if (channel.isEmpty()) {
            throw InvalidTokenException.invalid("subscription token has no channel claim");
        }
        return new SubscriptionToken(user(userIdClaim), channel, text("client"), lifetimeEnd(), seconds("iat"),
                text("jti"), subscription(claims));
    }

    /** {@code expire_at} decides the lifetime when present (0 = none); else {@code exp}; 0 = never. */
    private long lifetimeEnd() {
        JsonNode expireAt = claims.get("expire_at");
        if (expireAt != null && expireAt.isNumber()) {
            return expireAt.asLong();
        }
        return seconds("exp");
    }

    private String user(String userIdClaim) {
        if (userIdClaim.isEmpty()) {
            return text("sub");
        }
        // A dotted path, as Centrifugo's gjson lookup: "user.id" reads {"user":{"id":…}}.
        JsonNode n = claims;
        for (String part : userIdClaim.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
    }

    private static TokenSubscription subscription(JsonNode node) throws InvalidTokenException {
        if (node == null || !node.isObject()) {
            return TokenSubscription.NONE;
        }
        return new TokenSubscription(bytesOrBase64(node, "info", "b64info"), bytesOrBase64(node, "data", "b64data"),
                override(node.get("override")));
    }

    private static SubscriptionOverride override(JsonNode node) {
        if (node == null || !node.isObject()) {
            return SubscriptionOverride.NONE;
        }
        return new SubscriptionOverride(flag(node, "presence"), flag(node, "join_leave"),
                flag(node, "force_push_join_leave"), flag(node, "force_recovery"), flag(node, "force_positioning"));
    }

    /** {@code {"value": true}} → true; {@code {}} → false (Go's omitempty bool); absent → null. */
    private static Boolean flag(JsonNode override, String name) {
        JsonNode n = override.get(name);
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode value = n.get("value");
        return value != null && value.asBoolean(false);
    }

    private static byte[] bytesOrBase64(JsonNode node, String rawName, String base64Name)
            throws InvalidTokenException {
        JsonNode b64 = node.get(base64Name);
        if (b64 != null && b64.isTextual() && !b64.asText().isEmpty()) {
            try {
                return Base64.getDecoder().decode(b64.asText());
            } catch (IllegalArgumentException e) {
                throw InvalidTokenException.invalid(base64Name + " is not base64");
            }
        }
        return raw(node.get(rawName));
    }

    /** Whether {@code aud} (a string or a list of strings) has an entry that {@code test} accepts. */
    private boolean anyAudience(Predicate<String> test) {
        JsonNode aud = claims.get("aud");
        if (aud != null && aud.isTextual()) {
            return test.test(aud.asText());
        }
        if (aud != null && aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isTextual() && test.test(a.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A date claim as checked by {@link #parse}; null when absent. */
    private BigDecimal date(String name) {
        JsonNode n = claims.get(name);
        return n != null && n.isNumber() ? n.decimalValue() : null;
    }

    /**
     * A date claim in whole seconds, rounded down (Go's {@code time.Unix()}: never more time than the token
     * has); 0 when absent. A present {@code exp} that passed {@link #checkTime} is after now, so never 0.
     */
    private long seconds(String name) {
        BigDecimal d = date(name);
        return d == null ? 0 : d.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private String text(String name) {
        JsonNode n = claims.get(name);
        return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
    }

    private static byte[] raw(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
