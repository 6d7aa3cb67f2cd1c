package dev.weft.core.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds one thread at a chosen point of the engine (inside a test double) until the test lets it go, so a
 * test can do something — close a connection — at exactly that point. One-shot: once armed, the first
 * thread to {@link #pass} stops; later ones go straight through.
 */
final class Gate {
    private static final long WAIT_SECONDS = 5;

    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    void arm() {
        armed.set(true);
    }

    /** Called by the test double at the point of interest. */
    void pass() {
        if (!armed.compareAndSet(true, false)) {
            return;
        }
        reached.countDown();
        try {
            if (!opened.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a thread stopped at the gate. */
    void awaitReached() throws InterruptedException {
        if (!reached.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("nothing reached the gate");
        }
    }

    void open() {
        opened.countDown();
    }
}
