package dev.weft.bench.load;

import org.HdrHistogram.Recorder;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;

/**
 * One reader of one AI token stream over SSE ({@code data: {"type":"text-delta",…,"delta":"…"}} lines, then
 * {@code data: [DONE]}). Each token the producer wrote is {@code <seq>.<micros> } (see {@link #token}); a
 * server may merge consecutive tokens into one delta, so a delta holds one or more. The reader checks the
 * sequence (every token once, in order) and records each token's latency from its write to its arrival.
 * Lines arrive on the HTTP client's threads, one at a time per reader.
 */
public final class SseTokenReader implements Flow.Subscriber<String> {

    private static final String DELTA = "\"delta\":\"";

    private final long epochNanos;
    private final Recorder latencyMicros;
    private final CountDownLatch started;
    private boolean seenFirst;
    private volatile boolean done;
    private volatile long tokens;
    private volatile long duplicates;
    private volatile long missing;
    private int next;

    /**
     * @param epochNanos    the {@link System#nanoTime()} that token timestamps count from
     * @param latencyMicros where latencies go (shared by all readers)
     * @param started       counted down at this reader's first event (the stream's {@code start})
     */
    public SseTokenReader(long epochNanos, Recorder latencyMicros, CountDownLatch started) {
        this.epochNanos = epochNanos;
        this.latencyMicros = latencyMicros;
        this.started = started;
    }

    /** Token {@code seq} written at {@code nanoTime}: its number and write time, then a space. */
    public static String token(int seq, long nanoTime, long epochNanos) {
        return seq + "." + (nanoTime - epochNanos) / 1_000 + " ";
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (!line.startsWith("data: ")) {
            return;
        }
        if (!seenFirst) {
            seenFirst = true;
            started.countDown();
        }
        if (line.equals("data: [DONE]")) {
            done = true;
            return;
        }
        int at = line.indexOf(DELTA);
        if (at < 0) {
            return;
        }
        long now = System.nanoTime();
        int end = line.indexOf('"', at + DELTA.length());
        int i = at + DELTA.length();
        while (i < end) {
            int dot = line.indexOf('.', i);
            int space = line.indexOf(' ', dot);
            if (dot < 0 || space < 0 || space > end) {
                break;
            }
            int seq = Integer.parseInt(line, i, dot, 10);
            long sentMicros = Long.parseLong(line, dot + 1, space, 10);
            if (seq < next) {
                duplicates++;
            } else {
                missing += seq - next;
                next = seq + 1;
                tokens++;
                latencyMicros.recordValue(Math.max(0, (now - epochNanos) / 1_000 - sentMicros));
            }
            i = space + 1;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        // The response failed: what arrived stays counted; the scenario sees the reader did not finish.
    }

    @Override
    public void onComplete() {
    }

    /** Whether {@code [DONE]} arrived. */
    public boolean done() {
        return done;
    }

    /** Distinct tokens received in order (a gap's later tokens count; the gap is {@link #missing()}). */
    public long tokens() {
        return tokens;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Tokens skipped over (a later one arrived first). */
    public long missing() {
        return missing;
    }
}
