package dev.weft.bench.load;

import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Publishes at a fixed rate from the publisher's own event loop: every millisecond it sends the messages
 * that are due, each stamped with its send time, and flushes once. When the connection's buffer is full
 * (the server does not keep up reading) due messages are skipped rather than queued, so the generator never
 * grows without bound; {@link Result#skipped()} says how many.
 */
public final class Pacer {

    /** What one paced run sent. {@code expectedDeliveries} sums the subscriber count of each target. */
    public record Result(long published, long expectedDeliveries, long skipped) {
    }

    private Pacer() {
    }

    public static CompletableFuture<Result> run(ClientSession publisher, double perSecond, long durationNanos,
                                                Supplier<String> nextTarget, ToLongFunction<String> subscribersOf) {
        CompletableFuture<Result> done = new CompletableFuture<>();
        publisher.eventLoop().execute(() -> {
            long start = System.nanoTime();
            long[] counts = new long[3]; // published, expected, skipped (event-loop only)
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = publisher.eventLoop().scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                long elapsed = Math.min(now - start, durationNanos);
                long due = (long) (elapsed / 1e9 * perSecond) - counts[0] - counts[2];
                for (long i = 0; i < due; i++) {
                    if (!publisher.writable()) {
                        counts[2] += due - i;
                        break;
                    }
                    String target = nextTarget.get();
                    publisher.publish(target, Payload.bytes(Payload.now(), counts[0]));
                    counts[0]++;
                    counts[1] += subscribersOf.applyAsLong(target);
                }
                publisher.flush();
                if (now - start >= durationNanos) {
                    task[0].cancel(false);
                    done.complete(new Result(counts[0], counts[1], counts[2]));
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
        });
        return done;
    }
}
