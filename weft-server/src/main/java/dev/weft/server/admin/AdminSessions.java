package dev.weft.server.admin;

import dev.weft.server.config.WebConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Admin sessions: a password check and a session cookie signed with {@code admin.secret} (HMAC-SHA256 over
 * the expiry), so no session state lives on the node and every node with the same secret accepts it. The
 * cookie is {@code HttpOnly} (no page script reads it), {@code SameSite=Strict} (no other site's page sends it)
 * and scoped to {@code /admin}. Changing the secret ends every session.
 *
 * <p>Immutable and thread-safe.
 */
final class AdminSessions {
    static final String COOKIE = "weft_admin";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final String VERSION = "v1";

    private final byte[] passwordDigest;
    private final SecretKeySpec key;
    private final Clock clock;
    /** {@code ; Secure} when the server itself speaks TLS, so the browser never sends the cookie in clear. */
    private final String secureAttribute;

    AdminSessions(String password, String secret, boolean tls, Clock clock) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("admin.enabled needs admin.password");
        }
        if (secret.length() < WebConfig.ADMIN_SECRET_MIN_LENGTH) {
            throw new IllegalArgumentException("admin.enabled needs admin.secret of at least "
                    + WebConfig.ADMIN_SECRET_MIN_LENGTH
                    + " characters");
        }
        this.passwordDigest = sha256(password);
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
        this.secureAttribute = tls ? "; Secure" : "";
    }

    /** Constant-time in the password's content (digests of equal length are compared). */
    boolean passwordMatches(String attempt) {
        return MessageDigest.isEqual(passwordDigest, sha256(attempt));
    }

    /** A new session cookie's {@code Set-Cookie} value. */
    String newSessionCookie() {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String payload = VERSION + "." + expires;
        return COOKIE + "=" + payload + "." + sign(payload) + "; Path=/admin; Max-Age=" + LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + secureAttribute;
    }

    /** The {@code Set-Cookie} value that ends the session in the browser. */
    String clearedCookie() {
        return COOKIE + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict" + secureAttribute;
    }

    /** Whether the request carries a session cookie this secret signed that has not expired. */
    boolean authenticated(HttpHeaders headers) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
                if (COOKIE.equals(cookie.name()) && valid(cookie.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean valid(String value) {
        int lastDot = value.lastIndexOf('.');
        if (lastDot < 0) {
            return false;
        }
        String payload = value.substring(0, lastDot);
        byte[] signature = value.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(signature, sign(payload).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        String[] parts = payload.split("\\.");
        try {
            return parts.length == 2 && parts[0].equals(VERSION)
                    && Long.parseLong(parts[1]) > clock.instant().getEpochSecond();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
