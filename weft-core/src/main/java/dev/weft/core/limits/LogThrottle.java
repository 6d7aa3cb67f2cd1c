package dev.weft.core.limits;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Keeps one kind of refusal from flooding the log: at most one line per interval, the next one saying how
 * many were left out. A flood of refused connections then costs a line a second, not a line each.
 *
 * <p>Thread-safe.
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final LongAdder suppressed = new LongAdder();

    public LogThrottle(java.time.Duration interval) {
        this(interval, System::nanoTime);
    }

    LogThrottle(java.time.Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Whether to log this event: -1 means stay quiet (it is counted); otherwise log it, mentioning the
     * returned number of events left out since the last line.
     */
    public long admit() {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.sumThenReset();
        }
        suppressed.increment();
        return -1;
    }
}
