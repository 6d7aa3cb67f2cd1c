package dev.weft.core.docs.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL that every JDBC {@link DocumentStore} shares: a table {@code document_updates(document, seq, data)}
 * holding each document's log, read, compacted and deleted the same way whatever the database. How sequence
 * numbers are handed out on append is the store's own business (one SQLite writer; a per-document counter row in
 * Postgres).
 *
 * <p>Each method runs its statements on the caller's connection, inside the caller's transaction (a
 * compaction's statements need one); stateless and thread-safe.
 */
public final class DocumentUpdatesTable {

    private DocumentUpdatesTable() {
    }

    /** Every update of {@code document} in sequence order, with the last sequence (0 when none). */
    public static DocumentStore.StoredDocument load(Connection connection, String document) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
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
            return new DocumentStore.StoredDocument(updates, last);
        }
    }

    /**
     * {@link DocumentStore#compact}: the updates at or below {@code upToSequence} are replaced by {@code merged},
     * which takes the greatest of their sequence numbers. Call inside a transaction.
     */
    public static void compact(Connection connection, String document, long upToSequence, byte[] merged)
            throws SQLException {
        long mergedSequence;
        try (PreparedStatement last = connection.prepareStatement(
                "SELECT max(seq) FROM document_updates WHERE document = ? AND seq <= ?")) {
            last.setString(1, document);
            last.setLong(2, upToSequence);
            try (ResultSet row = last.executeQuery()) {
                row.next();
                mergedSequence = row.getLong(1);
                if (row.wasNull()) {
                    return;
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
    }

    /** Removes every update of {@code document}. */
    public static void delete(Connection connection, String document) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM document_updates WHERE document = ?")) {
            delete.setString(1, document);
            delete.executeUpdate();
        }
    }

    /** Names of the documents with at least one update, in {@link String#compareTo} order. */
    public static List<String> documents(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT DISTINCT document FROM document_updates")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        // Databases order by bytes or collation, which differs from String order.
        names.sort(null);
        return names;
    }

    /** Bytes stored per document. */
    public static Map<String, Long> storedSizes(Connection connection) throws SQLException {
        Map<String, Long> sizes = new TreeMap<>();
        // length() of a blob/bytea reads its size from the row header, not the data.
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery(
                     "SELECT document, sum(length(data)) FROM document_updates GROUP BY document")) {
            while (rows.next()) {
                sizes.put(rows.getString(1), rows.getLong(2));
            }
        }
        return sizes;
    }
}
