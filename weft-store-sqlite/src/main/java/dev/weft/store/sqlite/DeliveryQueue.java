package dev.weft.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread calling {@link SqliteBroker}'s event handler, in the order events were queued: publications in
 * commit order, joins and leaves when called. Bounded: adding waits when full, which holds the committer (and so
 * the publishers) back behind a slow handler.
 *
 * <p>The handler itself may queue events (a join or leave it causes): waiting for room there would wait for
 * its own thread, so those never wait; they are kept aside, in order, and moved into the queue as it drains. It
 * must not wait for anything that waits for this thread — {@link #checkNotDelivering} guards the calls that do.
 *
 * <p>Thread-safe.
 */
final class DeliveryQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    private static final Runnable STOP = () -> { };
    private final BlockingQueue<Runnable> queue;
    /** Events the handler queued while the queue was full; touched by the delivery thread only. */
    private final ArrayDeque<Runnable> fromHandler = new ArrayDeque<>();
    private final Thread thread;

    DeliveryQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name("weft-sqlite-broker-delivery").start(this::run);
    }

    void add(Runnable event) {
        if (Thread.currentThread() == thread) {
            if (!fromHandler.isEmpty() || !queue.offer(event)) {
                fromHandler.add(event);
            }
            return;
        }
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while queueing a delivery; it is dropped");
        }
    }

    /**
     * Refuses a call made by the handler that would wait for a commit: the commit waits for room in this queue,
     * which only the handler's own thread makes, so the call would never return.
     *
     * @throws IllegalStateException on the delivery thread
     */
    void checkNotDelivering(String call) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(call + " called from the broker event handler: it waits for a "
                    + "commit, which waits for the handler; hand the call to another thread");
        }
    }

    private void run() {
        try {
            for (Runnable event = queue.take(); event != STOP; event = queue.take()) {
                event.run();
                while (!fromHandler.isEmpty() && queue.offer(fromHandler.peek())) {
                    fromHandler.poll();
                }
            }
            while (!fromHandler.isEmpty()) {
                fromHandler.poll().run();
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() {
        add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
