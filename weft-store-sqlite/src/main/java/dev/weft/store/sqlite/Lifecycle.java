package dev.weft.store.sqlite;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Open until closed, once: calls run between {@link #enter} and {@link #exit} (a read lock, so they run side by
 * side) and {@link #close} takes the write lock, so it waits for the calls in flight; a call entered after it
 * finds {@link #isClosed} true. Thread-safe.
 */
final class Lifecycle {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // written under the write lock, read under the read lock

    /** Starts a call; pair with {@link #exit} in a {@code finally}. */
    void enter() {
        lock.readLock().lock();
    }

    void exit() {
        lock.readLock().unlock();
    }

    /** Whether {@link #close} ran; call between {@link #enter} and {@link #exit}. */
    boolean isClosed() {
        return closed;
    }

    /** Runs {@code close} the first time only, once no call is in flight. */
    void close(Runnable close) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            close.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
