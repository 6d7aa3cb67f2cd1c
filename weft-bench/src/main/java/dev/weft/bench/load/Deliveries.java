package dev.weft.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * What subscribers received: a count and the publish→deliver latency of every message. Thread-safe: every
 * event loop of the generator records here.
 */
public final class Deliveries {

    private final LongAdder count = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final Recorder latencyMicros = new Recorder(3);

    /** One message arrived at {@code receivedNanos} (on the {@link Payload} clock) carrying {@code sentNanos}. */
    public void delivered(long sentNanos, long receivedNanos) {
        count.increment();
        if (sentNanos < 0) {
            malformed.increment();
            return;
        }
        latencyMicros.recordValue(Math.max(0, (receivedNanos - sentNanos) / 1000));
    }

    public long count() {
        return count.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    /** The latencies recorded since the last call (microseconds). */
    public Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }
}
