package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the document store's tables in a new file and migrates older files, one step per version, keyed by
 * SQLite's {@code user_version} (0 in a new file). Each step runs in the same transaction as the version bump,
 * so a crash mid-migration leaves the file at the previous version.
 */
final class SqliteSchema {

    /** Step {@code i} brings a file from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(
            List.of(
                    """
                    CREATE TABLE document_updates (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        document TEXT NOT NULL,
                        data BLOB NOT NULL
                    )""",
                    "CREATE INDEX document_updates_by_document ON document_updates (document, seq)"));

    static final int VERSION = STEPS.size();

    private SqliteSchema() {}

    /** Brings the file behind {@code connection} to {@link #VERSION}. */
    static void migrate(Connection connection) throws SQLException, DocumentStoreException {
        int version = migrate(connection, STEPS);
        if (version > VERSION) {
            throw new DocumentStoreException("the document store file was written by a newer Weft (schema version "
                    + version + ", this version knows up to " + VERSION + "); refusing to open it");
        }
    }

    /**
     * Runs the steps the file behind {@code connection} has not had yet, in one transaction, counting them in
     * SQLite's {@code user_version}; a file from a newer Weft (a version past {@code steps}) is left as it is.
     *
     * @return the version the file had
     */
    static int migrate(Connection connection, List<List<String>> steps) throws SQLException {
        return SqliteTransactions.run(connection, () -> {
            int found = version(connection);
            try (Statement statement = connection.createStatement()) {
                for (int step = found; step < steps.size(); step++) {
                    for (String sql : steps.get(step)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + (step + 1));
                }
            }
            return found;
        });
    }

    private static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA user_version")) {
            row.next();
            return row.getInt(1);
        }
    }
}
