package dev.weft.core.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The public keys of a JSON Web Key Set endpoint ({@code client.token.jwks_public_endpoint}), fetched over HTTP
 * and cached.
 *
 * <ul>
 *   <li><b>Cache.</b> A fetched set is used for {@link Settings#cacheTtl()}; a token whose {@code kid} is not in
 *       it makes the set be fetched again at once (key rotation), but at most once per
 *       {@link Settings#minRefetchInterval()}, so tokens with made-up {@code kid}s cannot turn into a flood
 *       of requests to the endpoint. Within that interval an unknown {@code kid} is a temporary refusal, not an
 *       invalid token: it may name a key published just after the last fetch, and the client's retry after
 *       the interval fetches it; a {@code kid} missing from a set fetched for that very check is invalid.</li>
 *   <li><b>Bounded fetch.</b> A fetch is tried up to {@link Settings#maxAttempts()} times, waiting
 *       {@link Settings#initialBackoff()} (doubling) between attempts; each attempt — connect, headers
 *       <em>and</em> body — must finish within {@link Settings#requestTimeout()} or is abandoned. A whole fetch
 *       therefore ends within {@link Settings#fetchBound()}, however slowly the endpoint drips its answer.</li>
 *   <li><b>Nobody waits on a lock across the network.</b> One refresh runs at a time, on its own virtual
 *       thread; a caller whose key is in the last good set (even one past its TTL) is answered from it at once
 *       while the refresh runs. Only a caller whose {@code kid} is unknown waits for the refresh, at most
 *       {@link Settings#fetchBound()}: when it fails, or does not end in time, the check fails as
 *       {@link InvalidTokenException.Kind#UNAVAILABLE} (temporary, the client retries), never as an invalid
 *       token.</li>
 *   <li><b>What counts as a key.</b> Public parts only; private members in the document are ignored.</li>
 * </ul>
 *
 * <p>Thread-safe: {@code current} is published through a volatile field; the refresh bookkeeping is guarded by
 * {@code this}, held only for a few field reads and writes. {@link #keys} may block up to
 * {@link Settings#fetchBound()}: call it from a virtual thread, never from a network event loop.
 */
public final class JwksKeySource {
    private static final Logger log = LoggerFactory.getLogger(JwksKeySource.class);
    /** Largest JWKS document accepted; real ones are a few KiB. */
    private static final int MAX_BODY_BYTES = 1 << 20;
    /**
     * How much longer than {@link Settings#fetchBound()} a caller waits for the refresh it needs: the refresh
     * thread's own bookkeeping after its last attempt gave up, so that a waiter gets the refresh's outcome
     * rather than racing it.
     */
    private static final long WAIT_GRACE_MILLIS = 250;

    /**
     * Timing of fetches.
     *
     * @param cacheTtl            how long a fetched set is used before it is fetched again
     * @param minRefetchInterval  least time between two fetches (unknown {@code kid}, or after a failure)
     * @param maxAttempts         attempts per fetch (at least 1)
     * @param initialBackoff      wait after the first failed attempt; doubles after each further one
     * @param requestTimeout      time allowed to one attempt: connect, response headers and the whole body
     */
    public record Settings(Duration cacheTtl, Duration minRefetchInterval, int maxAttempts, Duration initialBackoff,
                           Duration requestTimeout) {
        /** 1 h cache, 5 s between refetches, 3 attempts 100 ms / 200 ms apart, 1 s each (3.3 s in all). */
        public static final Settings DEFAULT = new Settings(Duration.ofHours(1), Duration.ofSeconds(5), 3,
                Duration.ofMillis(100), Duration.ofSeconds(1));

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }

        /** The longest a whole fetch takes: every attempt timing out, plus the waits between them. */
        public Duration fetchBound() {
            Duration backoffs = initialBackoff.multipliedBy((1L << (maxAttempts - 1)) - 1);
            return requestTimeout.multipliedBy(maxAttempts).plus(backoffs);
        }
    }

    private final URI endpoint;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    /** Last successfully fetched set with its time; null before the first success. */
    private volatile Fetched current;
    /** The refresh under way, completed with whether it succeeded; null when none. Guarded by {@code this}. */
    private CompletableFuture<Boolean> refreshing;
    /** Guarded by {@code this}. */
    private Instant lastAttempt = Instant.MIN;
    /** Whether the last finished refresh failed. */
    private volatile boolean lastRefreshFailed;

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
     *                               the set cannot be fetched in time and the last good one (if any) lacks it
     */
    public List<JWK> keys(String kid) throws InvalidTokenException {
        Fetched cached = current;
        List<JWK> known = cached == null ? List.of() : select(cached.keys(), kid);
        if (!known.isEmpty()) {
            if (!fresh(cached)) {
                refresh(); // in the background: the last good set answers meanwhile
            }
            return known;
        }
        CompletableFuture<Boolean> refresh = refresh();
        if (refresh == null) {
            // Fetched (or tried) a moment ago: do not ask again yet. The kid may be a key published just after
            // that fetch (rotation), so the answer is temporary: the client retries, and a later check fetches.
            throw lastRefreshFailed ? unavailable() : notYetKnown(kid);
        }
        boolean succeeded;
        try {
            succeeded = refresh.get(settings.fetchBound().toMillis() + WAIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException e) {
            throw new IllegalStateException("JWKS refresh failed unexpectedly", e.getCause());
        }
        cached = current;
        List<JWK> found = cached == null ? List.of() : select(cached.keys(), kid);
        if (!found.isEmpty()) {
            return found;
        }
        throw succeeded ? unknownKid(kid) : unavailable();
    }

    private InvalidTokenException unavailable() {
        return InvalidTokenException.unavailable("JWKS endpoint " + endpoint + " is unreachable");
    }

    private InvalidTokenException notYetKnown(String kid) {
        return InvalidTokenException.unavailable("no key with kid " + kid + " in the JWKS fetched less than "
                + settings.minRefetchInterval().toSeconds() + " s ago; it is fetched again after that");
    }

    private static InvalidTokenException unknownKid(String kid) {
        return InvalidTokenException.invalid("no key with kid " + kid + " in the JWKS");
    }

    /**
     * The refresh under way, or a new one when none is and the refetch interval has passed since the last; null
     * when it is too soon to ask the endpoint again.
     */
    private synchronized CompletableFuture<Boolean> refresh() {
        if (refreshing != null) {
            return refreshing;
        }
        Instant now = clock.instant();
        if (Duration.between(lastAttempt, now).compareTo(settings.minRefetchInterval()) < 0) {
            return null;
        }
        lastAttempt = now;
        CompletableFuture<Boolean> refresh = new CompletableFuture<>();
        refreshing = refresh;
        Thread.ofVirtual().name("weft-jwks-refresh").start(() -> {
            boolean ok = fetch();
            lastRefreshFailed = !ok;
            synchronized (this) {
                refreshing = null;
            }
            refresh.complete(ok);
        });
        return refresh;
    }

    /** One bounded fetch with retries; true when {@code current} now holds a freshly fetched set. */
    private boolean fetch() {
        try {
            JWKSet fetched = fetchWithRetry();
            current = new Fetched(fetched, clock.instant());
            return true;
        } catch (IOException e) {
            log.warn("JWKS endpoint {} failed after {} attempts: {}", endpoint, settings.maxAttempts(),
                    e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.error("JWKS refresh from {} failed", endpoint, e);
            return false;
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

    /**
     * One attempt, bounded as a whole: the body is collected by a {@link BoundedBody} subscriber (no thread
     * blocks on it), and the exchange is cancelled when headers and body are not complete within the request
     * timeout.
     */
    private JWKSet fetchOnce() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> info.statusCode() == 200
                ? new BoundedBody(MAX_BODY_BYTES)
                : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete answer within " + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        try {
            return JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)).toPublicJWKSet();
        } catch (ParseException e) {
            throw new IOException("not a JWK set: " + e.getMessage(), e);
        }
    }

    /** Collects a response body of at most {@code limit} bytes; a longer one fails the exchange. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("JWKS document larger than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
