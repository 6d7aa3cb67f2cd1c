package dev.weft.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Lock;

/**
 * Group commit for small writes. A durable commit costs an fsync (2–4 ms on a busy virtual disk), so one
 * transaction per write would cap the whole node at a few hundred writes per second. Writes queue here; one
 * committer thread takes everything queued, runs it in one transaction under the store's writer lock, and
 * completes each write with its result. While it syncs, the next batch gathers.
 *
 * <p>Writes run in the order they were submitted, and complete in that order. If a batch fails, its writes are
 * retried one by one, each in its own transaction, so a bad write (one that fills the disk) fails alone.
 * Thread-safe: {@link #submit} and {@link #run} from any thread; the committer is the only user of the writer
 * outside the writer lock's other holders.
 */
final class GroupCommit implements AutoCloseable {

    private static final int MAX_BATCH_WRITES = 1000;

    /** Prepared statements of the writer connection, kept for its life; used by the committer thread only. */
    interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /** One write: statements run inside the batch's transaction. */
    interface Write<R> {
        R apply(Statements sql) throws SQLException;

        /**
         * Called on the committer thread once the transaction holding this write committed, in commit order and
         * before {@link #submit}'s caller is told: the place for what must happen in that order (deliveries).
         */
        default void committed(R result) {
        }
    }

    private record Pending<R>(Write<R> write, CompletableFuture<R> result) {
        R apply(Statements sql) throws SQLException {
            return write.apply(sql);
        }

        @SuppressWarnings("unchecked")
        void complete(Object value) {
            R r = (R) value;
            try {
                write.committed(r);
            } finally {
                result.complete(r);
            }
        }
    }

    private final Connection writer;
    private final Lock writeLock;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final Statements statements = this::prepare;
    private final Thread committer;

    GroupCommit(Connection writer, Lock writeLock, String name) {
        this.writer = writer;
        this.writeLock = writeLock;
        this.committer = Thread.ofVirtual().name(name).start(this::commitLoop);
    }

    /** Queues a write; the future completes once the transaction holding it committed (or it failed). */
    <R> CompletableFuture<R> submit(Write<R> write) {
        CompletableFuture<R> result = new CompletableFuture<>();
        queue.add(new Pending<>(write, result));
        return result;
    }

    /** Writes durably: returns the write's result once the transaction holding it committed. */
    <R> R run(Write<R> write) throws SQLException, InterruptedException {
        try {
            return submit(write).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            throw new IllegalStateException("committing a write failed", e.getCause());
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = writer.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    private void commitLoop() {
        List<Pending<?>> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH_WRITES - 1);
                writeLock.lock();
                try {
                    commit(batch);
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // close(): the store waited for every write in flight, so nothing is left queued.
        } finally {
            closeStatements();
        }
    }

    /**
     * Forgets the prepared statements: after a failed statement sqlite-jdbc may refuse to run it again ("statement
     * is not executing"), so the writes retried after a failure prepare their own.
     */
    private void closeStatements() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
        prepared.clear();
    }

    private void commit(List<Pending<?>> batch) {
        if (batch.size() > 1) {
            List<Object> results = new ArrayList<>(batch.size());
            boolean committed;
            try {
                SqliteTransactions.run(writer, () -> {
                    for (Pending<?> pending : batch) {
                        results.add(pending.apply(statements));
                    }
                    return null;
                });
                committed = true;
            } catch (SQLException | RuntimeException e) {
                committed = false; // one by one below, so only the writes that cannot be stored fail
                closeStatements();
            }
            if (committed) {
                for (int i = 0; i < batch.size(); i++) {
                    completeSafely(batch.get(i), results.get(i));
                }
                return;
            }
        }
        for (Pending<?> pending : batch) {
            Object result;
            try {
                result = SqliteTransactions.run(writer, () -> pending.apply(statements));
            } catch (SQLException | RuntimeException e) {
                closeStatements();
                pending.result().completeExceptionally(e);
                continue;
            }
            completeSafely(pending, result);
        }
    }

    private static void completeSafely(Pending<?> pending, Object result) {
        try {
            pending.complete(result);
        } catch (RuntimeException e) {
            // A committed hook failed after its write was stored; the caller still got the result (the hook's
            // owner logs its own faults), and the next writes must not be held up by it.
        }
    }

    /** Stops the committer; call when no write is in flight. */
    @Override
    public void close() {
        committer.interrupt();
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
