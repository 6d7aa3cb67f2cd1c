package dev.weft.core.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedRateLimiterTest {
    private final ManualTime time = new ManualTime();

    @Test
    void eachKeyHasItsOwnBucket() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(1, 3, 100, time);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isZero();
        }
        assertThat(limiter.tryAcquire("a")).as("nanos to wait").isPositive().isLessThanOrEqualTo(1_000_000_000L);
        assertThat(limiter.tryAcquire("b")).as("another key is not affected").isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a")).isZero();
    }

    @Test
    void refilledBucketsAreDroppedWhenTheTableIsFull() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(10, 2, 3, time);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("c");
        assertThat(limiter.size()).isEqualTo(3);
        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("d")).isZero();
        assertThat(limiter.size()).as("a, b, c refilled and were swept; d has a bucket").isEqualTo(1);
    }

    @Test
    void keysBeyondTheTableShareOneOverflowBucket() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(1, 2, 2, time);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        // The table is full of buckets that have not refilled: new keys share the overflow bucket.
        assertThat(limiter.tryAcquire("c")).isZero();
        assertThat(limiter.tryAcquire("d")).isZero();
        assertThat(limiter.tryAcquire("e")).as("overflow bucket is empty").isPositive();
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void peekingTakesNothingAndRatesMayRefillOverLongerPeriods() {
        KeyedRateLimiter limiter = new KeyedRateLimiter(1, Duration.ofSeconds(3), 2, 100, time);
        assertThat(limiter.nanosUntilAvailable("a")).as("never seen").isZero();
        limiter.tryAcquire("a");
        assertThat(limiter.nanosUntilAvailable("a")).isZero();
        assertThat(limiter.nanosUntilAvailable("a")).as("peeking took nothing").isZero();
        limiter.tryAcquire("a");
        assertThat(limiter.nanosUntilAvailable("a")).isPositive().isLessThanOrEqualTo(3_000_000_000L);
        time.advance(Duration.ofSeconds(2));
        assertThat(limiter.nanosUntilAvailable("a")).as("one token per 3 s").isPositive();
        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.nanosUntilAvailable("a")).isZero();
    }
}
