package dev.weft.core.docs.hooks;

import dev.weft.core.docs.DocumentNames;
import dev.weft.core.docs.hooks.WebhookOptions.Event;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.proxy.ProxyUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Background delivery of the webhooks nobody waits for ({@code change}, {@code store}, {@code disconnect}):
 * editing never waits for the backend, and a slow or absent backend never makes the server hold more than
 * {@link #MAX_PENDING_BYTES}.
 *
 * <p><b>Rules.</b> One delivery at a time per document and event. {@code change} and {@code store} carry the
 * whole document, so they coalesce: one submitted while another of the same document waits replaces it (the
 * newer state holds the older). A failed call (no answer within the timeout, a non-200 status, the endpoint's
 * in-flight bound reached) is retried after 1 s, then 2 s — {@link #MAX_ATTEMPTS} calls in all — unless a newer
 * one replaced it; then it is dropped with a warning. Past {@link #MAX_PENDING_BYTES} of bodies waiting or in
 * flight, new deliveries are dropped (warned about once a second) until the backend catches up.
 *
 * <p>Thread-safe: {@code slots}, {@code pendingBytes}, {@code closed} and {@code sequence} are guarded by
 * {@code lock}.
 */
final class WebhookDeliveries {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    /** Bodies waiting or in flight, at most (one document larger than this still goes when nothing else waits). */
    static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /** Calls per delivery, the first included. */
    static final int MAX_ATTEMPTS = 3;
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    @FunctionalInterface
    interface Sender {
        byte[] send(Event event, byte[] body) throws ProxyUnavailableException;
    }

    /** The delivery waiting for a document and event; {@code next} is null while only the one in flight remains. */
    private static final class Slot {
        byte[] next;
    }

    private final Executor executor;
    private final Sender sender;
    private final LogThrottle dropLog = new LogThrottle(Duration.ofSeconds(1));
    private final Object lock = new Object();
    private final Map<String, Slot> slots = new HashMap<>();
    private long pendingBytes;
    private long sequence;
    private boolean closed;

    WebhookDeliveries(Executor executor, Sender sender) {
        this.executor = executor;
        this.sender = sender;
    }

    /** Queues {@code body}; {@code coalesce}: it replaces one of the same event and document still waiting. */
    void submit(Event event, String room, boolean coalesce, byte[] body) {
        String key;
        boolean start;
        synchronized (lock) {
            key = event.wireName() + '\0' + room + (coalesce ? "" : "\0" + sequence++);
            Slot slot = slots.get(key);
            long added = body.length - (slot != null && slot.next != null ? slot.next.length : 0);
            if (closed || (pendingBytes > 0 && pendingBytes + added > MAX_PENDING_BYTES)) {
                long leftOut = dropLog.admit();
                if (leftOut >= 0) {
                    log.warn("dropped the {} webhook of document {}: {}{}", event.wireName(), DocumentNames.forLog(room),
                            closed ? "shutting down" : pendingBytes + " bytes of webhooks wait for the backend",
                            leftOut > 0 ? " (" + leftOut + " more not logged)" : "");
                }
                return;
            }
            pendingBytes += added;
            start = slot == null;
            if (start) {
                slot = new Slot();
                slots.put(key, slot);
            }
            slot.next = body;
        }
        if (start) {
            try {
                executor.execute(() -> drain(key, event, room));
            } catch (RejectedExecutionException e) {
                synchronized (lock) {
                    pendingBytes -= slots.remove(key).next.length;
                    lock.notifyAll();
                }
                log.debug("executor stopped: the {} webhook of {} is not sent", event.wireName(), room);
            }
        }
    }

    /** Bytes of bodies waiting or in flight. */
    long pendingBytes() {
        synchronized (lock) {
            return pendingBytes;
        }
    }

    /** Sends what the slot holds until it is empty; the newest body replaces one waiting for a retry. */
    private void drain(String key, Event event, String room) {
        byte[] body = null;
        int attempts = 0;
        while (true) {
            synchronized (lock) {
                Slot slot = slots.get(key);
                if (slot.next != null) {
                    if (body != null) {
                        pendingBytes -= body.length; // superseded while waiting for a retry
                    }
                    body = slot.next;
                    slot.next = null;
                    attempts = 0;
                } else if (body == null) {
                    slots.remove(key);
                    lock.notifyAll();
                    return;
                }
            }
            attempts++;
            boolean done = true;
            try {
                sender.send(event, body);
            } catch (ProxyUnavailableException e) {
                boolean retry = attempts < MAX_ATTEMPTS && !isClosed();
                log.warn("{} webhook of document {} failed (call {} of {}): {}; {}", event.wireName(),
                        DocumentNames.forLog(room), attempts, MAX_ATTEMPTS, e.getMessage(),
                        retry ? "retrying in " + RETRY_AFTER.multipliedBy(attempts).toMillis() + " ms" : "dropped");
                if (retry) {
                    done = false;
                    try {
                        Thread.sleep(RETRY_AFTER.multipliedBy(attempts));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        done = true;
                    }
                }
            } catch (RuntimeException e) {
                log.error("{} webhook of document {} failed", event.wireName(), DocumentNames.forLog(room), e);
            }
            if (done) {
                synchronized (lock) {
                    pendingBytes -= body.length;
                }
                body = null;
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Waits up to {@code grace} for every delivery to finish; no new ones are taken, failures are not retried. */
    void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (lock) {
            closed = true;
            try {
                for (long left; !slots.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!slots.isEmpty()) {
                log.warn("{} document webhook(s) still undelivered at shutdown", slots.size());
            }
        }
    }
}
