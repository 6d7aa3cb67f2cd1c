package dev.weft.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final long NBF_LEEWAY_SECONDS = 1;

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
        // the issuer meant to drop): Go's decoder in Centrifugo refuses such tokens too.
        for (String name : new String[] {"exp", "nbf", "iat", "expire_at"}) {
            JsonNode n = node.get(name);
            if (n != null && !n.isNull() && !n.isNumber()) {
                throw InvalidTokenException.invalid("claim " + name + " is not a number");
            }
        }
        for (String name : new String[] {"sub", "iss", "jti", "channel", "client"}) {
            JsonNode n = node.get(name);
            if (n != null && !n.isNull() && !n.isTextual()) {
                throw InvalidTokenException.invalid("claim " + name + " is not a string");
            }
        }
        return new TokenClaims(node);
    }

    /** {@code exp} and {@code nbf} against {@code now} (Unix seconds): either failing means "expired" (109). */
    void checkTime(long now) throws InvalidTokenException {
        long exp = number("exp");
        if (exp > 0 && exp <= now) {
            throw InvalidTokenException.expired("token expired");
        }
        long nbf = number("nbf");
        if (nbf > now + NBF_LEEWAY_SECONDS) {
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
        return new ConnectToken(user(userIdClaim), lifetimeEnd(), number("iat"), text("jti"),
                bytesOrBase64(claims, "info", "b64info"), subs, raw(claims.get("meta")));
    }

    SubscriptionToken subscriptionToken(String userIdClaim) throws InvalidTokenException {
        String channel = text("channel");
        if (channel.isEmpty()) {
            throw InvalidTokenException.invalid("subscription token has no channel claim");
        }
        return new SubscriptionToken(user(userIdClaim), channel, text("client"), lifetimeEnd(), number("iat"),
                text("jti"), subscription(claims));
    }

    /** {@code expire_at} decides the lifetime when present (0 = none); else {@code exp}. */
    private long lifetimeEnd() {
        JsonNode expireAt = claims.get("expire_at");
        if (expireAt != null && expireAt.isNumber()) {
            return Math.max(expireAt.asLong(), 0);
        }
        return number("exp");
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

    private long number(String name) {
        JsonNode n = claims.get(name);
        return n != null && n.isNumber() ? n.asLong() : 0;
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
