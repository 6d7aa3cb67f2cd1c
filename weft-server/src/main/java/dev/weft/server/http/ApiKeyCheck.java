package dev.weft.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Server API authentication, as Centrifugo does it: {@code X-API-Key: <key>} or
 * {@code Authorization: apikey <key>}, compared in constant time. Immutable, thread-safe.
 */
public final class ApiKeyCheck {
    private static final String X_API_KEY = "X-API-Key";

    private final byte[] keyDigest;
    private final boolean keySet;
    private final boolean insecure;

    /** @param insecure accept every request without looking at a key (local development) */
    public ApiKeyCheck(String key, boolean insecure) {
        this.keyDigest = sha256(key);
        this.keySet = !key.isEmpty();
        this.insecure = insecure;
    }

    /** Null when the request may proceed, else why not (for the log, never for the caller). */
    public String refusal(HttpHeaders headers) {
        if (insecure) {
            return null;
        }
        String presented = headers.get(X_API_KEY);
        if (presented == null) {
            String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
            if (authorization != null) {
                String[] parts = authorization.trim().split("\\s+", 2);
                if (parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("apikey")) {
                    presented = parts[1].trim();
                }
            }
        }
        if (presented == null || presented.isEmpty()) {
            return "no API key (send X-API-Key: <key> or Authorization: apikey <key>)";
        }
        // Digests first, so the comparison takes the same time whatever the presented key's length.
        if (!keySet || !MessageDigest.isEqual(keyDigest, sha256(presented))) {
            return "wrong API key";
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
