package dev.weft.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ai.relay.*} and {@code ai.upstreams} (Weft additions): how Weft calls model APIs itself for AI token
 * streams ({@code POST /api/streams} with an {@code upstream}).
 *
 * @param upstreams        configured upstreams by name, so API callers name one and its secrets stay in the
 *                         configuration
 * @param allowUrls        whether an API caller may give an upstream {@code url} of its own instead of a name
 * @param maxConcurrent    relays running at once on this node; more are refused
 * @param firstByteTimeout longest wait from the request to the first byte of the answer's body
 * @param idleTimeout      longest silence between two reads once the body flows
 * @param totalTimeout     longest relay from request to end
 * @param maxEventSize     longest upstream line and event, in bytes
 */
public record AiRelayConfig(Map<String, Upstream> upstreams, boolean allowUrls, int maxConcurrent,
                            Duration firstByteTimeout, Duration idleTimeout, Duration totalTimeout,
                            int maxEventSize) {
    public static final AiRelayConfig DEFAULT = new AiRelayConfig(Map.of(), true, 256, Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofMinutes(10), 1024 * 1024);

    /** The formats an upstream may declare (the relay's own list; a test keeps the two equal). */
    public static final List<String> FORMATS = List.of("openai-chat", "openai-responses", "anthropic", "sse", "ndjson");

    /**
     * One configured upstream.
     *
     * @param url     where to POST (http or https)
     * @param headers sent with every request, winning over the caller's; a value may hold {@code ${NAME}},
     *                replaced with environment variable {@code NAME} when the server starts
     * @param format  one of {@link #FORMATS}, or null when every caller names it
     * @param firstByteTimeout this upstream's own, or null for {@code ai.relay.first_byte_timeout}
     * @param idleTimeout      this upstream's own, or null for {@code ai.relay.idle_timeout}
     * @param totalTimeout     this upstream's own, or null for {@code ai.relay.total_timeout}
     */
    public record Upstream(URI url, Map<String, String> headers, String format, Duration firstByteTimeout,
                           Duration idleTimeout, Duration totalTimeout) {
        public Upstream {
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers == null ? Map.of() : headers);
        }
    }

    public AiRelayConfig {
        upstreams = Map.copyOf(upstreams == null ? Map.of() : upstreams);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("ai.relay.max_concurrent must be >= 1");
        }
        if (!firstByteTimeout.isPositive() || !idleTimeout.isPositive() || !totalTimeout.isPositive()) {
            throw new IllegalArgumentException("ai.relay timeouts must be > 0");
        }
        if (maxEventSize < 1024) {
            throw new IllegalArgumentException("ai.relay.max_event_size must be >= 1024");
        }
    }

    public AiRelayConfig withUpstreams(Map<String, Upstream> v) {
        return new AiRelayConfig(v, allowUrls, maxConcurrent, firstByteTimeout, idleTimeout, totalTimeout,
                maxEventSize);
    }

    public AiRelayConfig withAllowUrls(boolean v) {
        return new AiRelayConfig(upstreams, v, maxConcurrent, firstByteTimeout, idleTimeout, totalTimeout,
                maxEventSize);
    }

    public AiRelayConfig withMaxConcurrent(int v) {
        return new AiRelayConfig(upstreams, allowUrls, v, firstByteTimeout, idleTimeout, totalTimeout,
                maxEventSize);
    }

    public AiRelayConfig withFirstByteTimeout(Duration v) {
        return new AiRelayConfig(upstreams, allowUrls, maxConcurrent, v, idleTimeout, totalTimeout, maxEventSize);
    }

    public AiRelayConfig withIdleTimeout(Duration v) {
        return new AiRelayConfig(upstreams, allowUrls, maxConcurrent, firstByteTimeout, v, totalTimeout,
                maxEventSize);
    }

    public AiRelayConfig withTotalTimeout(Duration v) {
        return new AiRelayConfig(upstreams, allowUrls, maxConcurrent, firstByteTimeout, idleTimeout, v,
                maxEventSize);
    }

    public AiRelayConfig withMaxEventSize(int v) {
        return new AiRelayConfig(upstreams, allowUrls, maxConcurrent, firstByteTimeout, idleTimeout, totalTimeout,
                v);
    }
}
