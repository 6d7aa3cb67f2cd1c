package dev.weft.server.config;

/**
 * {@code http_api.*}: the server API is served only when a key is set (compared in constant time) or
 * {@code insecure} is on (local development: no key checked).
 */
public record HttpApiConfig(String key, boolean insecure) {
    public static final HttpApiConfig DEFAULT = new HttpApiConfig("", false);

    public HttpApiConfig {
        key = key == null ? "" : key;
    }

    public boolean enabled() {
        return insecure || !key.isEmpty();
    }
}
