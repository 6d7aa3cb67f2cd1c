package dev.weft.postgres.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between failed attempts, as Centrifugo's consumers take them: 10 ms (plus up to 10 ms of jitter)
 * doubling per retry, at most 5 s. Not thread-safe: one per partition thread.
 */
final class Backoff {
    static final Duration MIN = Duration.ofMillis(10);
    static final Duration MAX = Duration.ofSeconds(5);

    private int retries;

    /** The pause before the next attempt. */
    Duration next() {
        retries = Math.min(retries + 1, 20);
        long jitter = ThreadLocalRandom.current().nextLong(MIN.toMillis());
        long millis = (MIN.toMillis() + jitter) << retries;
        return Duration.ofMillis(Math.min(millis, MAX.toMillis()));
    }

    void reset() {
        retries = 0;
    }
}
