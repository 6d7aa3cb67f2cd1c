package dev.weft.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs submitted tasks one at a time, in submission order, on a backing executor (virtual threads in the
 * engine), holding no thread while idle. The queue is bounded: {@link #execute} returns false when full, so
 * a client cannot make the server buffer without limit. {@link #closeWith} queues one last task and refuses
 * everything after it, so an owner can undo, in order, whatever the tasks it ever accepted did.
 *
 * <p>Thread-safe; the queue, {@code running} and {@code closed} are guarded by {@code this}.
 */
public final class SerialExecutor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor backing;
    private final int maxQueued;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private boolean closed;

    public SerialExecutor(Executor backing, int maxQueued) {
        this.backing = backing;
        this.maxQueued = maxQueued;
    }

    /**
     * Queues a task; false (task dropped) when {@code maxQueued} tasks are already waiting or after
     * {@link #closeWith}.
     *
     * @throws RejectedExecutionException when the backing executor refuses (it is shutting down); the task
     *         stays queued and runs, with the rest, on the thread that calls {@link #closeWith}
     */
    public boolean execute(Runnable task) {
        synchronized (this) {
            if (closed || queue.size() >= maxQueued) {
                return false;
            }
            if (!queueAndClaimDrain(task)) {
                return true;
            }
        }
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
            }
            throw e;
        }
        return true;
    }

    /**
     * Queues {@code last} behind every task accepted so far, even when the queue is full, and refuses all
     * later ones: when {@code last} runs, no other task of this executor is running or will ever run. When
     * the backing executor refuses (shutting down), the queue is run on the calling thread. Only the first
     * call counts; false for the others.
     */
    public boolean closeWith(Runnable last) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            if (!queueAndClaimDrain(last)) {
                return true;
            }
        }
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain();
        }
        return true;
    }

    /**
     * Queues a task (the caller holds the lock); true when no drain is running, so the caller now owns
     * starting one.
     */
    private boolean queueAndClaimDrain(Runnable task) {
        queue.add(task);
        if (running) {
            return false;
        }
        running = true;
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                log.error("task failed", e);
            }
        }
    }
}
