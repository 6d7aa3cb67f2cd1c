package dev.weft.server.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Server API authentication, as Centrifugo v6 does it: {@code X-API-Key: <key>}, else
 * {@code Authorization: apikey <key>}, else the {@code api_key} query parameter; compared in constant time.
 * Immutable, thread-safe.
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

    /**
     * Null when the request may proceed, else why not (for the log, never for the caller).
     *
     * @param queryKey the {@code api_key} query parameter, or null
     */
    public String refusal(HttpHeaders headers, String queryKey) {
        if (insecure) {
            return null;
        }
        if (!keySet) {
            return "no API key configured";
        }
        if (matches(headers.get(X_API_KEY)) || matches(fromAuthorization(headers)) || matches(queryKey)) {
            return null;
        }
        boolean presented = headers.contains(X_API_KEY) || fromAuthorization(headers) != null || queryKey != null;
        return presented ? "wrong API key"
                : "no API key (send X-API-Key: <key> or Authorization: apikey <key>)";
    }

    private boolean matches(String presented) {
        // Digests first, so the comparison takes the same time whatever the presented key's length.
        return presented != null && !presented.isEmpty() && MessageDigest.isEqual(keyDigest, sha256(presented));
    }

    private static String fromAuthorization(HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.trim().split("\\s+");
        return parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("apikey") ? parts[1] : null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
