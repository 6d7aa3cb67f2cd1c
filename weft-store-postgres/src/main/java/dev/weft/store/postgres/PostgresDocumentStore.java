package dev.weft.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.DocumentUpdatesTable;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A {@link DocumentStore} in a Postgres database that every node of a cluster shares, so a document lives on
 * whichever nodes serve it: what {@code docs.store: postgres} selects.
 *
 * <p><b>Schema</b> (in {@link #schema}, created when missing): {@code document_updates(document, seq, data)} —
 * the same log, read, compacted and deleted by the same SQL ({@link DocumentUpdatesTable}) as the SQLite
 * store — and {@code document_heads(document, last_seq)}, one row per document ever written, holding the last
 * sequence number handed out. It outlives {@link #delete}, so numbers are never reused.
 *
 * <p><b>Appends from several nodes.</b> An append raises the document's head by the number of updates in one
 * {@code INSERT … ON CONFLICT DO UPDATE … RETURNING}, which locks the head row until the transaction commits,
 * then inserts the updates under the numbers it reserved. So appends to one document, from any node, are
 * serialised by that row: sequence numbers are contiguous per document, and a visible number implies every
 * smaller one is committed — a node that loads the log and compacts up to its last sequence can never remove an
 * update it did not read. A compaction takes the same row lock first. Different documents do not wait for each
 * other.
 *
 * <p><b>Durability.</b> An append returns after its transaction committed, which with Postgres's default
 * {@code synchronous_commit = on} means its WAL record was flushed (and replicated, when the operator asks for
 * synchronous standbys).
 *
 * <p><b>Connections.</b> A small Hikari pool ({@code docs.postgres.pool_size}); a call that cannot get a
 * connection within {@link #CONNECT_TIMEOUT} fails with a {@link DocumentStoreException} naming the database,
 * which is how a down database reaches readiness. Thread-safe.
 */
public final class PostgresDocumentStore implements DocumentStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresDocumentStore.class);
    /** How long a call waits for a pooled connection before it fails. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final String SQL_DISK_FULL = "53100";

    private final HikariDataSource pool;
    private final String schema;
    private final String where;
    private volatile boolean closed;

    private PostgresDocumentStore(HikariDataSource pool, String schema, String where) {
        this.pool = pool;
        this.schema = schema;
        this.where = where;
    }

    /**
     * Connects to {@code dsn}, creates {@code schema} and its tables when missing and checks it can write there.
     *
     * @param poolSize connections at most (at least 1)
     * @throws DocumentStoreException when the database cannot be reached or refuses the schema; the message
     *     names the database (never the password) and Postgres's reason
     * @throws IllegalArgumentException when {@code schema} is not a plain identifier
     */
    public static PostgresDocumentStore open(PostgresDsn dsn, String schema, int poolSize)
            throws DocumentStoreException {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("docs.postgres.schema must be a plain identifier (letters, digits, "
                    + "_; not starting with a digit), got '" + schema + "'");
        }
        String where = dsn.jdbcUrl() + " schema " + schema;
        HikariConfig config = new HikariConfig();
        config.setPoolName("weft-docs");
        config.setJdbcUrl(dsn.jdbcUrl());
        config.setDataSourceProperties(dsn.properties());
        config.setMaximumPoolSize(Math.max(1, poolSize));
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        config.setSchema(schema);
        HikariDataSource pool;
        try {
            // Creating the schema first: the pool's connections set it as their search path.
            createSchema(dsn, schema);
            pool = new HikariDataSource(config);
        } catch (SQLException | HikariPool.PoolInitializationException e) {
            SQLException cause = e instanceof SQLException s ? s
                    : e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            throw failure("cannot open the document store", where, cause);
        }
        PostgresDocumentStore store = new PostgresDocumentStore(pool, schema, where);
        try {
            store.transaction("cannot create the document store's tables", connection -> {
                try (Statement statement = connection.createStatement()) {
                    // As for the schema: one node at a time.
                    statement.execute("SELECT pg_advisory_xact_lock(hashtext('weft document store " + schema + "'))");
                    statement.execute("""
                            CREATE TABLE IF NOT EXISTS document_heads (
                                document text PRIMARY KEY,
                                last_seq bigint NOT NULL
                            )""");
                    statement.execute("""
                            CREATE TABLE IF NOT EXISTS document_updates (
                                document text NOT NULL,
                                seq bigint NOT NULL,
                                data bytea NOT NULL,
                                PRIMARY KEY (document, seq)
                            )""");
                }
                return null;
            });
            store.check();
        } catch (DocumentStoreException e) {
            pool.close();
            throw e;
        }
        log.info("Document store: Postgres {}", where);
        return store;
    }

    private static void createSchema(PostgresDsn dsn, String schema) throws SQLException {
        try (Connection connection = new Driver().connect(dsn.jdbcUrl(), withTimeouts(dsn));
             Statement statement = connection.createStatement()) {
            // Nodes starting together would race on CREATE … IF NOT EXISTS (a unique violation): one at a time.
            connection.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('weft document store " + schema + "'))");
            statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            connection.commit();
        }
    }

    private static Properties withTimeouts(PostgresDsn dsn) {
        Properties properties = dsn.properties();
        properties.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        return properties;
    }

    /** The schema holding the tables. */
    public String schema() {
        return schema;
    }

    @Override
    public StoredDocument load(String document) throws DocumentStoreException {
        checkName(document);
        return run("cannot load document '" + document + "'", c -> DocumentUpdatesTable.load(c, document));
    }

    @Override
    public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
        checkName(document);
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        updates.forEach(update -> Objects.requireNonNull(update, "update"));
        List<byte[]> all = List.copyOf(updates);
        return transaction("cannot append to document '" + document + "'", connection -> {
            long last;
            try (PreparedStatement head = connection.prepareStatement("""
                    INSERT INTO document_heads AS h (document, last_seq) VALUES (?, ?)
                    ON CONFLICT (document) DO UPDATE SET last_seq = h.last_seq + excluded.last_seq
                    RETURNING last_seq""")) {
                head.setString(1, document);
                head.setLong(2, all.size());
                try (ResultSet row = head.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO document_updates (document, seq, data) VALUES (?, ?, ?)")) {
                long seq = last - all.size();
                for (byte[] update : all) {
                    insert.setString(1, document);
                    insert.setLong(2, ++seq);
                    insert.setBytes(3, update);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return last;
        });
    }

    @Override
    public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
        checkName(document);
        Objects.requireNonNull(merged, "merged");
        transaction("cannot compact document '" + document + "'", connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT last_seq FROM document_heads WHERE document = ? FOR UPDATE")) {
                lock.setString(1, document);
                lock.executeQuery().close();
            }
            DocumentUpdatesTable.compact(connection, document, upToSequence, merged);
            return null;
        });
    }

    @Override
    public void delete(String document) throws DocumentStoreException {
        checkName(document);
        run("cannot delete document '" + document + "'", connection -> {
            DocumentUpdatesTable.delete(connection, document);
            return null;
        });
    }

    @Override
    public List<String> documents() throws DocumentStoreException {
        return run("cannot list documents", DocumentUpdatesTable::documents);
    }

    @Override
    public Map<String, Long> storedSizes() throws DocumentStoreException {
        return run("cannot sum the stored documents' sizes", DocumentUpdatesTable::storedSizes);
    }

    /** Appends to one document are serialised by its head row, from whichever node. */
    @Override
    public boolean sequencesContiguous() {
        return true;
    }

    /**
     * A transaction that is given a transaction id, which Postgres refuses where it cannot write (a standby in
     * recovery, a read-only database), then rolled back: leaves nothing behind.
     */
    @Override
    public void check() throws DocumentStoreException {
        run("the document store is not writable", connection -> {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
            log.info("Document store closed: Postgres {}", where);
        }
    }

    @Override
    public String toString() {
        return "PostgresDocumentStore[" + where + "]";
    }

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** {@code work} on a pooled connection in auto-commit mode. */
    private <T> T run(String failure, SqlWork<T> work) throws DocumentStoreException {
        if (closed) {
            throw new DocumentStoreException(failure + " (" + where + "): the document store is closed");
        }
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(failure, where, e);
        }
    }

    /** {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T transaction(String failure, SqlWork<T> work) throws DocumentStoreException {
        return run(failure, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Postgres keeps names as text, which cannot hold U+0000. */
    private static void checkName(String document) {
        Objects.requireNonNull(document, "document");
        if (document.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a Postgres document store cannot keep a document name containing "
                    + "U+0000");
        }
    }

    /** {@code "<what> (<database>): <reason> [<Postgres's message>]"}. */
    private static DocumentStoreException failure(String what, String where, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason;
        if (state.equals(SQL_DISK_FULL)) {
            reason = "the database's disk is full; free space and retry";
        } else if (state.startsWith("08")) {
            reason = "cannot reach Postgres";
        } else if (state.startsWith("28")) {
            reason = "Postgres refused the credentials";
        } else if (state.equals("3D000")) {
            reason = "no such database";
        } else if (state.equals("25006")) {
            reason = "the database is read-only (a standby?)";
        } else if (state.startsWith("57P")) {
            reason = "Postgres is shutting down or restarting";
        } else if (state.startsWith("53")) {
            reason = "Postgres is out of resources";
        } else {
            reason = "database error" + (state.isEmpty() ? "" : " " + state);
        }
        return new DocumentStoreException(what + " (" + where + "): " + reason + " [" + e.getMessage() + "]", e,
                state.equals(SQL_DISK_FULL));
    }
}
