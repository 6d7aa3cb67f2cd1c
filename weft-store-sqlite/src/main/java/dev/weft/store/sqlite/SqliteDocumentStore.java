package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.DocumentUpdatesTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DocumentStore} in one SQLite file, {@value #FILE_NAME}, under the data directory: the embedded
 * default, no service to run.
 *
 * <p><b>Durability.</b> The file is in WAL mode with {@code synchronous=FULL}: SQLite syncs the write-ahead
 * log before a commit returns, and an append returns only after the transaction holding it committed, so a
 * returned append survives a killed process and a power cut. Appends that arrive while another is being
 * committed are committed together in one transaction ({@link GroupCommit}): one sync for many documents; {@link #appendAll}
 * stores a room's batch of updates in one transaction too. A compaction is one transaction (delete the prefix, insert the merged update).
 * Connections stay in auto-commit mode; multi-statement writes use explicit {@link SqliteTransactions}.
 *
 * <p><b>Connections.</b> SQLite allows one writer at a time, so every write goes through one connection held
 * under {@link #writeLock}; WAL lets reads run beside it, on a small pool of reader connections
 * ({@link SqliteConnections}). A connection is used by one thread at a time. {@link #lifecycle} makes {@link #close}
 * wait for the calls in flight and refuse later ones. Thread-safe.
 *
 * <p><b>Schema.</b> One table, {@code document_updates(seq INTEGER PRIMARY KEY AUTOINCREMENT, document TEXT,
 * data BLOB)}. {@code AUTOINCREMENT} keeps the largest sequence ever used, so sequence numbers are never reused
 * (the {@link DocumentStore} contract) even after a delete. The schema version is SQLite's {@code user_version};
 * {@link SqliteSchema} creates or migrates it when the store opens.
 */
public final class SqliteDocumentStore implements DocumentStore {

    /** The file this store keeps under the data directory. */
    public static final String FILE_NAME = "documents.db";

    private static final Logger log = LoggerFactory.getLogger(SqliteDocumentStore.class);
    private static final String INSERT_UPDATE = "INSERT INTO document_updates (document, data) VALUES (?, ?)";

    private final Path file;
    private final Lifecycle lifecycle = new Lifecycle();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The writer is guarded by {@link #writeLock}. */
    private final SqliteConnections connections;
    /** Appends waiting for the writer; committed together (group commit). */
    private final GroupCommit appends;

    private SqliteDocumentStore(Path file, SqliteConnections connections) {
        this.file = file;
        this.connections = connections;
        this.appends = new GroupCommit(connections.writer(), writeLock, "weft-sqlite-commit " + file.getFileName());
    }

    /**
     * Opens (creating when missing) {@value #FILE_NAME} under {@code dataDirectory}, creating the directory
     * too, and brings its schema up to date.
     *
     * @throws DocumentStoreException when the directory or file cannot be created or opened, the file is not a
     *     SQLite database or is corrupt, or its schema is newer than this version of Weft knows
     */
    public static SqliteDocumentStore open(Path dataDirectory) throws DocumentStoreException {
        return open(dataDirectory, 0);
    }

    /**
     * {@link #open(Path)} with SQLite's {@code max_page_count} set on the writer when {@code maxPages > 0}: a
     * database that reaches it fails writes exactly as a full disk does, which is how the tests reach that path.
     */
    static SqliteDocumentStore open(Path dataDirectory, int maxPages) throws DocumentStoreException {
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            // "Not a directory", "Permission denied", "Read-only file system": the OS's words, with the path.
            String cause = e instanceof FileSystemException f && f.getReason() != null
                    ? f.getFile() + ": " + f.getReason() : e.toString();
            throw new DocumentStoreException("cannot create the data directory " + dataDirectory.toAbsolutePath()
                    + " (" + cause + ")", e);
        }
        SqliteConnections connections;
        try {
            connections = SqliteConnections.open(file, maxPages, "document store");
        } catch (SQLException e) {
            throw SqliteFailures.of("cannot open the document store", file, e);
        }
        try {
            SqliteSchema.migrate(connections.writer());
            log.info("Document store: {}", file);
            return new SqliteDocumentStore(file, connections);
        } catch (SQLException e) {
            connections.close();
            throw SqliteFailures.of("cannot open the document store", file, e);
        } catch (DocumentStoreException e) {
            connections.close();
            throw e;
        }
    }

    @Override
    public StoredDocument load(String document) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        return read("cannot load document '" + document + "'", reader -> DocumentUpdatesTable.load(reader, document));
    }

    @Override
    public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        updates.forEach(update -> Objects.requireNonNull(update, "update"));
        String failure = "cannot append to document '" + document + "'";
        lifecycle.enter();
        try {
            checkOpen(failure);
            List<byte[]> all = List.copyOf(updates);
            // All the updates of one append in one transaction: stored all or none.
            return appends.run(sql -> {
                PreparedStatement insert = sql.prepare(INSERT_UPDATE);
                insert.setString(1, document);
                for (byte[] update : all) {
                    insert.setBytes(2, update);
                    insert.executeUpdate();
                }
                try (ResultSet row = sql.prepare("SELECT last_insert_rowid()").executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw SqliteFailures.of(failure, file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The append may still commit; the caller must treat it as not acknowledged.
            throw new DocumentStoreException(failure + " (" + file + "): interrupted", e);
        } finally {
            lifecycle.exit();
        }
    }

    @Override
    public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(merged, "merged");
        write("cannot compact document '" + document + "'", connection -> SqliteTransactions.run(connection, () -> {
            DocumentUpdatesTable.compact(connection, document, upToSequence, merged);
            return null;
        }));
    }

    @Override
    public void delete(String document) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        write("cannot delete document '" + document + "'", connection -> {
            DocumentUpdatesTable.delete(connection, document);
            return null;
        });
    }

    @Override
    public List<String> documents() throws DocumentStoreException {
        return read("cannot list documents", DocumentUpdatesTable::documents);
    }

    @Override
    public Map<String, Long> storedSizes() throws DocumentStoreException {
        return read("cannot sum the stored documents' sizes", DocumentUpdatesTable::storedSizes);
    }

    /** A committed write transaction that rewrites the schema version: the file can be locked, written, synced. */
    @Override
    public void check() throws DocumentStoreException {
        write("the document store is not writable", connection -> SqliteTransactions.run(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA user_version = " + SqliteSchema.VERSION);
            }
            return null;
        }));
    }

    @Override
    public void close() {
        lifecycle.close(() -> {
            appends.close();
            connections.close();
            log.info("Document store closed: {}", file);
        });
    }

    @Override
    public String toString() {
        return "SqliteDocumentStore[" + file + "]";
    }

    private <T> T read(String failure, SqliteConnections.SqlWork<T> work) throws DocumentStoreException {
        lifecycle.enter();
        try {
            checkOpen(failure);
            return connections.read(work);
        } catch (SQLException e) {
            throw SqliteFailures.of(failure, file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DocumentStoreException(failure + " (" + file + "): interrupted", e);
        } finally {
            lifecycle.exit();
        }
    }

    private <T> T write(String failure, SqliteConnections.SqlWork<T> work) throws DocumentStoreException {
        lifecycle.enter();
        try {
            checkOpen(failure);
            writeLock.lock();
            try {
                return work.run(connections.writer());
            } catch (SQLException e) {
                throw SqliteFailures.of(failure, file, e);
            } finally {
                writeLock.unlock();
            }
        } finally {
            lifecycle.exit();
        }
    }

    private void checkOpen(String failure) throws DocumentStoreException {
        if (lifecycle.isClosed()) {
            throw new DocumentStoreException(failure + " (" + file + "): the document store is closed");
        }
    }
}
