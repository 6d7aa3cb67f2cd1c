package dev.weft.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit {@code BEGIN IMMEDIATE … COMMIT} on a connection left in auto-commit mode. The driver's own
 * transaction handling ({@code setAutoCommit(false)}) loses track when SQLite rolls a transaction back by
 * itself, as it does on {@code SQLITE_FULL}: the next statements then ran outside any transaction.
 */
final class SqliteTransactions {

    private static final Logger log = LoggerFactory.getLogger(SqliteTransactions.class);

    interface Body<T> {
        T run() throws SQLException;
    }

    private SqliteTransactions() {}

    /** Runs {@code body} in one write transaction: all of it is committed, or none of it. */
    static <T> T run(Connection connection, Body<T> body) throws SQLException {
        return inTransaction(connection, "BEGIN IMMEDIATE", body);
    }

    /** Runs {@code body} in one read transaction: everything it reads comes from the same snapshot. */
    static <T> T read(Connection connection, Body<T> body) throws SQLException {
        return inTransaction(connection, "BEGIN DEFERRED", body);
    }

    private static <T> T inTransaction(Connection connection, String begin, Body<T> body) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(begin);
            try {
                T result = body.run();
                statement.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(statement);
                throw e;
            }
        }
    }

    /** SQLite may already have rolled back (disk full, I/O error); the original failure is the one to report. */
    private static void rollback(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            log.debug("No transaction left to roll back: {}", e.toString());
        }
    }
}
