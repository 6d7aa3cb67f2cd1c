package dev.weft.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Lock;

/**
 * Group commit for appends. A durable commit costs an fsync (2–4 ms on a busy virtual disk), so one
 * transaction per append would cap the whole node at a few hundred updates per second. Appends queue here; one
 * committer thread takes everything queued, commits it in one transaction under the store's writer lock, and
 * completes each append with its sequence number. While it syncs, the next batch gathers. An append of one
 * update alone is committed as before, one statement in auto-commit mode. An append may carry several updates
 * of one document (a room's batch): they are stored all or none, in one transaction.
 *
 * <p>If a batch fails, its appends are retried one by one, so a bad append (one that fills the disk) fails
 * alone. Thread-safe: {@link #append} from any thread; the committer is the only user of the writer outside the
 * writer lock's other holders (compaction, delete).
 */
final class GroupCommit implements AutoCloseable {

    private static final int MAX_BATCH_APPENDS = 1000;
    private static final String INSERT = "INSERT INTO document_updates (document, data) VALUES (?, ?)";

    /** Updates of one document, stored together; {@code sequence} completes with the last one's. */
    private record Append(String document, List<byte[]> updates, CompletableFuture<Long> sequence) {}

    private final Connection writer;
    private final Lock writeLock;
    private final LinkedBlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Thread committer;

    GroupCommit(Connection writer, Lock writeLock, String name) {
        this.writer = writer;
        this.writeLock = writeLock;
        this.committer = Thread.ofVirtual().name(name).start(this::run);
    }

    /**
     * Appends {@code updates} durably, all or none; returns the last one's sequence number once the transaction
     * holding them committed.
     */
    long append(String document, List<byte[]> updates) throws SQLException, InterruptedException {
        Append append = new Append(document, updates, new CompletableFuture<>());
        queue.add(append);
        try {
            return append.sequence().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            throw new IllegalStateException("committing an append failed", e.getCause());
        }
    }

    private void run() {
        List<Append> batch = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH_APPENDS - 1);
                writeLock.lock();
                try {
                    commit(batch);
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // close(): the store waited for every append in flight, so nothing is left queued.
        }
    }

    private void commit(List<Append> batch) {
        if (batch.size() > 1 || batch.getFirst().updates().size() > 1) {
            List<Long> sequences = new ArrayList<>(batch.size());
            try {
                SqliteTransactions.run(writer, () -> {
                    try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
                        for (Append append : batch) {
                            sequences.add(insert(insert, append));
                        }
                    }
                    return null;
                });
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).sequence().complete(sequences.get(i));
                }
                return;
            } catch (SQLException | RuntimeException e) {
                // Fall through: one by one, so only the appends that cannot be stored fail.
            }
        }
        for (Append append : batch) {
            try {
                append.sequence().complete(append.updates().size() == 1
                        ? insertAlone(append)
                        : SqliteTransactions.run(writer, () -> insertAlone(append)));
            } catch (SQLException | RuntimeException e) {
                append.sequence().completeExceptionally(e);
            }
        }
    }

    private long insertAlone(Append append) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
            return insert(insert, append);
        }
    }

    /** Inserts every update of {@code append}; returns the last one's sequence number. */
    private long insert(PreparedStatement insert, Append append) throws SQLException {
        insert.setString(1, append.document());
        for (byte[] update : append.updates()) {
            insert.setBytes(2, update);
            insert.executeUpdate();
        }
        try (Statement statement = writer.createStatement();
             ResultSet row = statement.executeQuery("SELECT last_insert_rowid()")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Stops the committer; call when no append is in flight. */
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
