package dev.weft.server.config;

import java.time.Duration;

/**
 * {@code plain_sse.*} (a Weft addition; Centrifugo's {@code sse.*} keys belong to its bidirectional
 * emulation transport): the {@code GET /sse/<channel>} endpoint for any EventSource.
 *
 * @param enabled           serve {@code /sse}
 * @param heartbeatInterval how often an idle stream gets a comment line, so proxies and load balancers
 *                          do not close it; zero = never
 * @param retry             the {@code retry:} hint: how long a browser waits before reconnecting
 */
public record PlainSseConfig(boolean enabled, Duration heartbeatInterval, Duration retry) {
    public static final PlainSseConfig DEFAULT =
            new PlainSseConfig(true, Duration.ofSeconds(15), Duration.ofSeconds(3));

    public PlainSseConfig {
        if (heartbeatInterval == null || heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("plain_sse.heartbeat_interval must be >= 0");
        }
        if (retry == null || retry.isNegative()) {
            throw new IllegalArgumentException("plain_sse.retry must be >= 0");
        }
    }

    public PlainSseConfig withEnabled(boolean v) {
        return new PlainSseConfig(v, heartbeatInterval, retry);
    }

    public PlainSseConfig withHeartbeatInterval(Duration v) {
        return new PlainSseConfig(enabled, v, retry);
    }

    public PlainSseConfig withRetry(Duration v) {
        return new PlainSseConfig(enabled, heartbeatInterval, v);
    }
}
