package dev.weft.postgres.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over one partition, in one transaction, as Centrifugo's {@code processOnce}: take the partition's
 * advisory lock, read up to {@code partition_select_limit} rows in id order, run each, set rejected rows aside in
 * the dead-letter table, delete what was run, commit. A row whose command must be retried ends the pass there:
 * the rows before it are deleted, it and those after it stay, so the order within the partition is kept.
 *
 * <p>A crash after a command ran but before the commit leaves its row in place: the next pass runs it again with
 * the same idempotency key ({@link #idempotencyKey}), and the broker drops the repeat. Not thread-safe: used by
 * its partition's thread only.
 */
final class OutboxPartition {
    private static final Logger log = LoggerFactory.getLogger(OutboxPartition.class);
    /** Postgres' {@code lock_not_available}: {@code lock_timeout} ran out while another node held the lock. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * The pass's result: rows taken off the outbox (run or set aside), of which set aside, whether the lock was
     * busy, a command asking for a retry.
     */
    record Pass(int rows, int rejected, boolean lockBusy, String retryReason) {
        static final Pass BUSY = new Pass(0, 0, true, null);
    }

    private record Row(long id, String method, String payload, int partition, Timestamp createdAt) {
    }

    private final OutboxConfig config;
    private final OutboxCommands commands;
    private final int partition;
    private final String select;
    private final String delete;
    private final String deadLetter;

    OutboxPartition(OutboxConfig config, OutboxCommands commands, int partition) {
        this.config = config;
        this.commands = commands;
        this.partition = partition;
        this.select = "SELECT id, method, payload::text, partition, created_at FROM " + config.table()
                + " WHERE partition = ? ORDER BY id ASC LIMIT ?";
        this.delete = "DELETE FROM " + config.table() + " WHERE id = ANY(?)";
        this.deadLetter = "INSERT INTO " + config.deadLetterTable()
                + " (id, method, payload, partition, created_at, consumer, error) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING";
    }

    /** The key a row's publication gets when its payload names none: stable across attempts and nodes. */
    static String idempotencyKey(String table, long id) {
        return "outbox:" + table + ":" + id;
    }

    /**
     * Runs one pass on {@code connection} (auto-commit off). On an {@link SQLException} the transaction is rolled
     * back and nothing was deleted.
     */
    Pass run(Connection connection) throws SQLException {
        try {
            if (!lock(connection)) {
                connection.rollback();
                return Pass.BUSY;
            }
            List<Row> rows = select(connection);
            List<Long> done = new ArrayList<>(rows.size());
            String retry = null;
            int rejected = 0;
            for (Row row : rows) {
                OutboxCommands.Outcome outcome = commands.execute(row.method(),
                        row.payload().getBytes(StandardCharsets.UTF_8), idempotencyKey(config.table(), row.id()));
                if (outcome.kind() == OutboxCommands.Kind.RETRY) {
                    retry = "row " + row.id() + " (" + row.method() + "): " + outcome.reason();
                    break;
                }
                if (outcome.kind() == OutboxCommands.Kind.REJECTED) {
                    setAside(connection, row, outcome.reason());
                    rejected++;
                }
                done.add(row.id());
            }
            if (!done.isEmpty()) {
                try (PreparedStatement s = connection.prepareStatement(delete)) {
                    Array ids = connection.createArrayOf("bigint", done.toArray());
                    s.setArray(1, ids);
                    s.executeUpdate();
                }
            }
            connection.commit();
            return new Pass(done.size(), rejected, false, retry);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            if (e instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return Pass.BUSY;
            }
            throw e;
        }
    }

    private boolean lock(Connection connection) throws SQLException {
        String sql = config.useTryLock() ? "SELECT pg_try_advisory_xact_lock(hashtext(?))"
                : "SELECT true FROM pg_advisory_xact_lock(hashtext(?))";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, config.lockName(partition));
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private List<Row> select(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(select)) {
            s.setInt(1, partition);
            s.setInt(2, config.selectLimit());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4), r.getTimestamp(5)));
                }
            }
        }
        return rows;
    }

    /**
     * Moves a rejected row to the dead-letter table, in this transaction. When that table cannot be written, the
     * whole row goes to the log instead: a rejected row must never hold the partition up.
     */
    private void setAside(Connection connection, Row row, String reason) throws SQLException {
        log.warn("outbox {}: row {} ({}) set aside in {}: {}", config.name(), row.id(), row.method(),
                config.deadLetterTable(), reason);
        Savepoint before = connection.setSavepoint();
        try (PreparedStatement s = connection.prepareStatement(deadLetter)) {
            s.setLong(1, row.id());
            s.setString(2, row.method());
            s.setString(3, row.payload());
            s.setInt(4, row.partition());
            s.setTimestamp(5, row.createdAt());
            s.setString(6, config.name());
            s.setString(7, reason);
            s.executeUpdate();
            connection.releaseSavepoint(before);
        } catch (SQLException e) {
            connection.rollback(before);
            log.error("outbox {}: dead-letter table {} unusable ({}); row dropped: id={} method={} partition={} "
                            + "payload={}", config.name(), config.deadLetterTable(), e.getMessage(), row.id(),
                    row.method(), row.partition(), row.payload());
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the caller closes it, and Postgres rolls the transaction back.
        }
    }
}
