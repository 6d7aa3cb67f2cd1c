package dev.weft.core.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The public keys of a JSON Web Key Set endpoint ({@code client.token.jwks_public_endpoint}), fetched over HTTP
 * and cached.
 *
 * <ul>
 *   <li><b>Cache.</b> A fetched set is used for {@link Settings#cacheTtl()}; a token whose {@code kid} is not in
 *       it makes the set be fetched again at once (key rotation), but at most once per
 *       {@link Settings#minRefetchInterval()}, so tokens with made-up {@code kid}s cannot turn into a flood
 *       of requests to the endpoint.</li>
 *   <li><b>Retry.</b> A fetch is tried up to {@link Settings#maxAttempts()} times, waiting
 *       {@link Settings#initialBackoff()} (doubling) between attempts, each bounded by
 *       {@link Settings#requestTimeout()}. When every attempt fails, keys already known keep being used; a key
 *       that is not known makes the check fail as {@link InvalidTokenException.Kind#UNAVAILABLE} (temporary,
 *       the client retries), never as an invalid token, and the next attempt waits for the refetch interval.</li>
 *   <li><b>What counts as a key.</b> Public parts only; private members in the document are ignored.</li>
 * </ul>
 *
 * <p>Thread-safe. One fetch at a time ({@code lock}); callers needing a fetch wait for the one under way and
 * then read its result. {@link #keys} blocks for the duration of a fetch: call it from a virtual thread, never
 * from a network event loop.
 */
public final class JwksKeySource {
    private static final Logger log = LoggerFactory.getLogger(JwksKeySource.class);
    /** Largest JWKS document accepted; real ones are a few KiB. */
    private static final int MAX_BODY_BYTES = 1 << 20;

    /**
     * Timing of fetches.
     *
     * @param cacheTtl            how long a fetched set is used before it is fetched again
     * @param minRefetchInterval  least time between two fetches (unknown {@code kid}, or after a failure)
     * @param maxAttempts         attempts per fetch (at least 1)
     * @param initialBackoff      wait after the first failed attempt; doubles after each further one
     * @param requestTimeout      connect + response time allowed to one attempt
     */
    public record Settings(Duration cacheTtl, Duration minRefetchInterval, int maxAttempts, Duration initialBackoff,
                           Duration requestTimeout) {
        /** 1 h cache, 5 s between refetches, 3 attempts 100 ms / 200 ms apart, 1 s each. */
        public static final Settings DEFAULT = new Settings(Duration.ofHours(1), Duration.ofSeconds(5), 3,
                Duration.ofMillis(100), Duration.ofSeconds(1));

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
    }

    private final URI endpoint;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    private final ReentrantLock lock = new ReentrantLock();
    /** Last successfully fetched set with its time; read without the lock, written under it. */
    private volatile Fetched current;
    /** Guarded by {@code lock}. */
    private Instant lastAttempt = Instant.MIN;
    /** Guarded by {@code lock}. */
    private boolean lastAttemptFailed;

    private record Fetched(JWKSet keys, Instant at) {
    }

    public JwksKeySource(URI endpoint, Settings settings, Clock clock) {
        String scheme = endpoint.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("JWKS endpoint must be an http(s) URL: " + endpoint);
        }
        this.endpoint = endpoint;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * The keys with {@code kid} (every key when {@code kid} is null), fetching the set if it is stale or lacks
     * the {@code kid}.
     *
     * @throws InvalidTokenException {@code INVALID} when a fresh set has no such key, {@code UNAVAILABLE} when
     *                               the set cannot be fetched and the cached one (if any) lacks it
     */
    public List<JWK> keys(String kid) throws InvalidTokenException {
        Fetched cached = current;
        if (cached != null && fresh(cached)) {
            List<JWK> found = select(cached.keys(), kid);
            if (!found.isEmpty()) {
                return found;
            }
        }
        lock.lock();
        try {
            cached = current;
            if (cached != null && fresh(cached)) {
                List<JWK> found = select(cached.keys(), kid);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            Instant now = clock.instant();
            if (Duration.between(lastAttempt, now).compareTo(settings.minRefetchInterval()) < 0) {
                // Fetched (or tried) a moment ago: answer from what we have instead of asking again.
                List<JWK> found = cached == null ? List.of() : select(cached.keys(), kid);
                if (!found.isEmpty()) {
                    return found;
                }
                if (lastAttemptFailed) {
                    throw InvalidTokenException.unavailable("JWKS endpoint " + endpoint + " is unreachable");
                }
                throw InvalidTokenException.invalid("no key with kid " + kid + " in the JWKS");
            }
            lastAttempt = now;
            JWKSet fetched;
            try {
                fetched = fetchWithRetry();
                lastAttemptFailed = false;
                current = new Fetched(fetched, clock.instant());
            } catch (IOException e) {
                lastAttemptFailed = true;
                log.warn("JWKS endpoint {} failed after {} attempts: {}", endpoint, settings.maxAttempts(),
                        e.getMessage());
                List<JWK> stale = cached == null ? List.of() : select(cached.keys(), kid);
                if (!stale.isEmpty()) {
                    return stale;
                }
                throw InvalidTokenException.unavailable("JWKS endpoint " + endpoint + " is unreachable");
            }
            List<JWK> found = select(fetched, kid);
            if (found.isEmpty()) {
                throw InvalidTokenException.invalid("no key with kid " + kid + " in the JWKS");
            }
            return found;
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Fetched f) {
        return Duration.between(f.at(), clock.instant()).compareTo(settings.cacheTtl()) < 0;
    }

    private static List<JWK> select(JWKSet set, String kid) {
        if (kid == null) {
            return set.getKeys();
        }
        JWK key = set.getKeyByKeyId(kid);
        return key == null ? List.of() : List.of(key);
    }

    private JWKSet fetchWithRetry() throws IOException {
        IOException last = null;
        long backoff = settings.initialBackoff().toMillis();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                return fetchOnce();
            } catch (IOException e) {
                last = e;
                log.debug("JWKS fetch {} of {} from {} failed: {}", attempt, settings.maxAttempts(), endpoint,
                        e.getMessage());
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to retry", e);
                }
                backoff *= 2;
            }
        }
        throw last;
    }

    private JWKSet fetchOnce() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IOException("JWKS document larger than " + MAX_BODY_BYTES + " bytes");
            }
            return JWKSet.parse(new String(bytes, StandardCharsets.UTF_8)).toPublicJWKSet();
        } catch (ParseException e) {
            throw new IOException("not a JWK set: " + e.getMessage(), e);
        }
    }
}
