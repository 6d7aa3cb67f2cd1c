package dev.weft.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs submitted tasks one at a time, in submission order, on a backing executor (virtual threads in the
 * engine), holding no thread while idle. The queue is bounded: {@link #execute} returns false when full, so
 * a client cannot make the server buffer without limit.
 *
 * <p>Thread-safe; the queue and {@code running} are guarded by {@code this}.
 */
public final class SerialExecutor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor backing;
    private final int maxQueued;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor backing, int maxQueued) {
        this.backing = backing;
        this.maxQueued = maxQueued;
    }

    /** Queues a task; false (task dropped) when {@code maxQueued} tasks are already waiting. */
    public boolean execute(Runnable task) {
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                return false;
            }
            queue.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        backing.execute(this::drain);
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
