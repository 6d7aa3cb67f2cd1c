package dev.weft.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One thread calling {@link SqliteBroker}'s event handler, in the order events were queued: publications in
 * commit order, joins and leaves when called. Bounded: adding waits when full, which holds the committer (and so
 * the publishers) back behind a slow handler. Thread-safe.
 */
final class DeliveryQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    private static final Runnable STOP = () -> { };
    private final BlockingQueue<Runnable> queue;
    private final Thread thread;

    DeliveryQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name("weft-sqlite-broker-delivery").start(this::run);
    }

    void add(Runnable event) {
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while queueing a delivery; it is dropped");
        }
    }

    private void run() {
        try {
            for (Runnable event = queue.take(); event != STOP; event = queue.take()) {
                event.run();
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
