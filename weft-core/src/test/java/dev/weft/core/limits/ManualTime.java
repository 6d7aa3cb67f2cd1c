package dev.weft.core.limits;

import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock the test moves by hand. Thread-safe. */
final class ManualTime implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
