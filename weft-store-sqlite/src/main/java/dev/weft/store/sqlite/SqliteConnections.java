package dev.weft.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The connections to one SQLite file: one writer, whose use its owner serialises, and a fixed pool of readers
 * that WAL lets run beside it, each lent to one thread at a time. Thread-safe.
 */
final class SqliteConnections {

    private static final Logger log = LoggerFactory.getLogger(SqliteConnections.class);
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MILLIS = 30_000;

    /** Work on one connection. */
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection writer;
    /** Idle reader connections; a caller takes one and puts it back. */
    private final BlockingQueue<Connection> readers;
    /** What the file holds, for log lines. */
    private final String what;

    private SqliteConnections(Connection writer, List<Connection> readers, String what) {
        this.writer = writer;
        this.readers = new ArrayBlockingQueue<>(readers.size(), false, readers);
        this.what = what;
    }

    /**
     * Opens the writer (with SQLite's {@code max_page_count} when {@code maxPages > 0}) and the readers; on
     * failure the ones already open are closed.
     *
     * @param what what the file holds, for log lines ("document store", "channel history")
     */
    static SqliteConnections open(Path file, int maxPages, String what) throws SQLException {
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = connect(file, maxPages);
            opened.add(writer);
            List<Connection> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Connection reader = connect(file, 0);
                opened.add(reader);
                readers.add(reader);
            }
            return new SqliteConnections(writer, readers, what);
        } catch (SQLException | RuntimeException e) {
            closeAll(opened, what);
            throw e;
        }
    }

    /** A connection to {@code file}: WAL, {@code synchronous=FULL}, busy timeout; fails at once on a non-database. */
    private static Connection connect(Path file, int maxPages) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        if (maxPages > 0) {
            config.setMaxPageCount(maxPages);
        }
        Connection connection = config.createConnection("jdbc:sqlite:" + file);
        // Reading the header now turns "not a database" into an error at open, not at the first load.
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA quick_check(1)");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The writer; its owner makes sure one thread at a time uses it. */
    Connection writer() {
        return writer;
    }

    /** Runs {@code work} on a reader, waiting for one to be free. */
    <T> T read(SqlWork<T> work) throws SQLException, InterruptedException {
        Connection reader = readers.take();
        try {
            return work.run(reader);
        } finally {
            readers.add(reader);
        }
    }

    /** Closes every connection; the caller makes sure none is in use. */
    void close() {
        List<Connection> all = new ArrayList<>(readers);
        all.add(writer);
        closeAll(all, what);
    }

    private static void closeAll(List<Connection> connections, String what) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("Closing a {} connection failed: {}", what, e.toString());
            }
        }
    }
}
