package dev.weft.server.config;

import java.util.List;

/**
 * {@code http_api.*}: the server API is served only when a key is set (compared in constant time) or
 * {@code insecure} is on (local development: no key checked). {@code errorMode} {@code "transport"} answers
 * API errors with HTTP statuses instead of 200 + {@code error} (Centrifugo's {@code http_api.error_mode}).
 */
public record HttpApiConfig(String key, boolean insecure, String errorMode) {
    public static final List<String> ERROR_MODES = List.of("", "transport");
    public static final HttpApiConfig DEFAULT = new HttpApiConfig("", false, "");

    public HttpApiConfig {
        key = key == null ? "" : key;
        errorMode = errorMode == null ? "" : errorMode;
        if (!ERROR_MODES.contains(errorMode)) {
            throw new IllegalArgumentException("http_api.error_mode must be \"\" or \"transport\", got " + errorMode);
        }
    }

    public HttpApiConfig(String key, boolean insecure) {
        this(key, insecure, "");
    }

    public boolean enabled() {
        return insecure || !key.isEmpty();
    }

    public boolean transportErrorMode() {
        return errorMode.equals("transport");
    }
}
