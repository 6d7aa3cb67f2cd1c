package dev.weft.server.config;

/**
 * Bidirectional emulation: Centrifugo's {@code http_stream.*}, {@code sse.*} and {@code emulation.*}
 * sections. Both transports are off by default, as in Centrifugo; {@code /emulation} is served as soon as
 * either is on.
 *
 * @param httpStreamEnabled            serve {@code /connection/http_stream}
 * @param httpStreamMaxRequestBodySize largest connect request body (bytes)
 * @param sseEnabled                   serve {@code /connection/sse}
 * @param sseMaxRequestBodySize        largest connect command, in the body or the {@code cf_connect} parameter
 * @param emulationMaxRequestBodySize  largest {@code /emulation} request body
 */
public record EmulationConfig(boolean httpStreamEnabled, int httpStreamMaxRequestBodySize, boolean sseEnabled,
                              int sseMaxRequestBodySize, int emulationMaxRequestBodySize) {
    /** Centrifugo's default request body limit for all three. */
    public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 65536;

    public static final EmulationConfig DEFAULT = new EmulationConfig(false, DEFAULT_MAX_REQUEST_BODY_SIZE, false,
            DEFAULT_MAX_REQUEST_BODY_SIZE, DEFAULT_MAX_REQUEST_BODY_SIZE);

    public EmulationConfig {
        if (httpStreamMaxRequestBodySize <= 0 || sseMaxRequestBodySize <= 0 || emulationMaxRequestBodySize <= 0) {
            throw new IllegalArgumentException("max_request_body_size must be > 0");
        }
    }

    /** Both transports on, default limits (tests, demos). */
    public static EmulationConfig enabled() {
        return new EmulationConfig(true, DEFAULT_MAX_REQUEST_BODY_SIZE, true, DEFAULT_MAX_REQUEST_BODY_SIZE,
                DEFAULT_MAX_REQUEST_BODY_SIZE);
    }

    /** Whether {@code /emulation} is served: some transport needs it. */
    public boolean emulationEnabled() {
        return httpStreamEnabled || sseEnabled;
    }
}
