package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
        return read("cannot load document '" + document + "'", reader -> {
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT seq, data FROM document_updates WHERE document = ? ORDER BY seq")) {
                select.setString(1, document);
                List<byte[]> updates = new ArrayList<>();
                long last = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        last = rows.getLong(1);
                        byte[] data = rows.getBytes(2);
                        // SQLite hands back NULL for a zero-length blob.
                        updates.add(data == null ? new byte[0] : data);
                    }
                }
                return new StoredDocument(updates, last);
            }
        });
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
            long mergedSequence;
            try (PreparedStatement last = connection.prepareStatement(
                    "SELECT max(seq) FROM document_updates WHERE document = ? AND seq <= ?")) {
                last.setString(1, document);
                last.setLong(2, upToSequence);
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    mergedSequence = row.getLong(1);
                    if (row.wasNull()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM document_updates WHERE document = ? AND seq <= ?")) {
                delete.setString(1, document);
                delete.setLong(2, mergedSequence);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO document_updates (seq, document, data) VALUES (?, ?, ?)")) {
                insert.setLong(1, mergedSequence);
                insert.setString(2, document);
                insert.setBytes(3, merged);
                insert.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public void delete(String document) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        write("cannot delete document '" + document + "'", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM document_updates WHERE document = ?")) {
                delete.setString(1, document);
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<String> documents() throws DocumentStoreException {
        return read("cannot list documents", reader -> {
            List<String> names = new ArrayList<>();
            try (Statement select = reader.createStatement();
                 ResultSet rows = select.executeQuery("SELECT DISTINCT document FROM document_updates")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            // SQLite orders UTF-8 bytes, which differs from String order outside the BMP.
            names.sort(null);
            return names;
        });
    }

    @Override
    public Map<String, Long> storedSizes() throws DocumentStoreException {
        return read("cannot sum the stored documents' sizes", reader -> {
            Map<String, Long> sizes = new TreeMap<>();
            // length() of a blob reads its size from the record header, not the blob.
            try (Statement select = reader.createStatement();
                 ResultSet rows = select.executeQuery(
                         "SELECT document, sum(length(data)) FROM document_updates GROUP BY document")) {
                while (rows.next()) {
                    sizes.put(rows.getString(1), rows.getLong(2));
                }
            }
            return sizes;
        });
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
