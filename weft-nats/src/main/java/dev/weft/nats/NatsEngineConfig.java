package dev.weft.nats;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach NATS and name what the engine keeps there.
 *
 * @param url            NATS server URL(s), comma-separated ({@code nats://127.0.0.1:4222})
 * @param prefix         first subject token(s) of every subject, and (dots as underscores, upper-cased) the
 *                       start of the history stream's and KV buckets' names; nodes sharing channels use the
 *                       same prefix
 * @param timeout        how long one NATS request may take before the operation fails
 */
public record NatsEngineConfig(String url, String prefix, Duration timeout) {

    public static final String DEFAULT_URL = "nats://127.0.0.1:4222";
    public static final String DEFAULT_PREFIX = "weft";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public NatsEngineConfig {
        url = url == null || url.isBlank() ? DEFAULT_URL : url;
        prefix = SubjectTokens.checkPrefix(prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix);
        timeout = timeout == null || !timeout.isPositive() ? DEFAULT_TIMEOUT : timeout;
        Objects.requireNonNull(url);
    }

    public static NatsEngineConfig of(String url, String prefix) {
        return new NatsEngineConfig(url, prefix, null);
    }
}
