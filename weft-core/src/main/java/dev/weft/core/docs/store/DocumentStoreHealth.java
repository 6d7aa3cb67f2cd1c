package dev.weft.core.docs.store;

import dev.weft.core.limits.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the document store works, as its users last saw it: readiness reports a store failure (disk full, file
 * gone read-only, I/O errors) until a store call succeeds again. While it is failing, asking for the
 * {@link #problem} also starts {@link DocumentStore#check} in the background (one at a time, at most once per
 * {@code probeInterval}), so a store that recovers is seen even when no traffic reaches it.
 *
 * <p>Store failures are logged here, one line each without a stack trace (the store's message names the file
 * and the reason), at most one per second: clients that retry cannot flood the log.
 *
 * <p>Thread-safe.
 */
public final class DocumentStoreHealth {
    private static final Logger log = LoggerFactory.getLogger(DocumentStoreHealth.class);

    private final DocumentStore store;
    private final Executor executor;
    private final LogThrottle failures = new LogThrottle(Duration.ofSeconds(1));
    private final LogThrottle probes;
    /** What failed last; null while the store works. */
    private final AtomicReference<String> problem = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();

    /** @param executor runs the background check (it blocks: virtual threads) */
    public DocumentStoreHealth(DocumentStore store, Executor executor, Duration probeInterval) {
        this.store = store;
        this.executor = executor;
        this.probes = new LogThrottle(probeInterval);
    }

    /** A store call failed: logged (throttled), and readiness reports it until a call succeeds. */
    public void failed(String what, DocumentStoreException failure) {
        problem.set(failure.diskFull() ? "disk full: " + failure.getMessage() : failure.getMessage());
        long leftOut = failures.admit();
        if (leftOut >= 0) {
            log.warn("{}: {}{}", what, failure.getMessage(),
                    leftOut > 0 ? " (" + leftOut + " more store failures not logged)" : "");
        }
    }

    /** A store call succeeded. */
    public void succeeded() {
        if (problem.get() != null && problem.getAndSet(null) != null) {
            log.info("the document store works again");
        }
    }

    /** Null while the store works; else the last failure's message (prefixed "disk full: " for a full disk). */
    public String problem() {
        String current = problem.get();
        if (current != null && probes.admit() >= 0 && probing.compareAndSet(false, true)) {
            try {
                executor.execute(this::probe);
            } catch (RejectedExecutionException e) {
                probing.set(false);
            }
        }
        return current;
    }

    private void probe() {
        try {
            store.check();
            succeeded();
        } catch (DocumentStoreException e) {
            failed("the document store is still failing", e);
        } catch (RuntimeException e) {
            log.warn("checking the document store failed", e);
        } finally {
            probing.set(false);
        }
    }
}
