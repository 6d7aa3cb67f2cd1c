package dev.weft.core.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket per key (a client address for {@code client.ip_connection_rate_limit}): each key may take
 * {@code burst} tokens at once and {@code rate} per second after that.
 *
 * <p><b>Bounded memory.</b> A key whose bucket has refilled completely is indistinguishable from a key never
 * seen, so such buckets are dropped when the table reaches {@code maxKeys}. If it is still full after that
 * (more than {@code maxKeys} keys active within the refill time: a distributed flood), new keys share one
 * overflow bucket of the same size — the limit then holds for all of them together instead of the heap
 * growing.
 *
 * <p>Thread-safe: buckets are lock-free; the table is concurrent; one thread at a time sweeps.
 */
public final class KeyedRateLimiter {
    private final long rate;
    private final Duration period;
    private final long capacity;
    private final int maxKeys;
    private final TimeMeter time;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final ReentrantLock sweeping = new ReentrantLock();

    /**
     * @param rate    tokens per second per key; positive
     * @param burst   tokens a key may take at once (at least 1 is used)
     * @param maxKeys most keys with their own bucket
     * @param time    the clock buckets refill by
     */
    public KeyedRateLimiter(long rate, long burst, int maxKeys, TimeMeter time) {
        this(rate, Duration.ofSeconds(1), burst, maxKeys, time);
    }

    /**
     * @param rate    tokens per {@code period} per key; positive
     * @param period  the time {@code rate} tokens refill in
     * @param burst   tokens a key may take at once (at least 1 is used)
     * @param maxKeys most keys with their own bucket
     * @param time    the clock buckets refill by
     */
    public KeyedRateLimiter(long rate, Duration period, long burst, int maxKeys, TimeMeter time) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.rate = rate;
        this.period = period;
        this.capacity = Math.max(1, burst);
        this.maxKeys = maxKeys;
        this.time = time;
        this.overflow = newBucket();
    }

    /**
     * Takes a token for {@code key}.
     *
     * @return 0 when taken; otherwise how many nanoseconds until one would be available (at least 1)
     */
    public long tryAcquire(String key) {
        ConsumptionProbe probe = bucketFor(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /**
     * Whether {@code key} could take a token now, without taking it. A key without a bucket of its own (never
     * seen, swept, or sharing the overflow bucket) reports 0.
     *
     * @return 0 when it could; otherwise how many nanoseconds until it could (at least 1)
     */
    public long nanosUntilAvailable(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return 0; // never seen, or refilled and swept: a full bucket
        }
        var probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** Keys that currently have their own bucket. */
    public int size() {
        return buckets.size();
    }

    /** Drops the buckets that have refilled completely; their keys start afresh. */
    public void sweep() {
        buckets.values().removeIf(b -> b.getAvailableTokens() >= capacity);
    }

    private Bucket bucketFor(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            if (sweeping.tryLock()) {
                try {
                    sweep();
                } finally {
                    sweeping.unlock();
                }
            }
            if (buckets.size() >= maxKeys) {
                return overflow;
            }
        }
        return buckets.computeIfAbsent(key, k -> newBucket());
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(rate, period))
                .withCustomTimePrecision(time)
                .build();
    }
}
