package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStoreException;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's result codes into messages an operator can act on. */
final class SqliteFailures {

    private static final int SQLITE_FULL = 13;

    private SqliteFailures() {}

    /** {@code "<what> (<file>): <reason> [<SQLite's message>]"}. */
    static DocumentStoreException of(String what, Path file, SQLException e) {
        return new DocumentStoreException(describe(what, file, e), e, isFull(e));
    }

    /** {@code "<what> (<file>): <reason> [<SQLite's message>]"}. */
    static String describe(String what, Path file, SQLException e) {
        return what + " (" + file + "): " + reason(e) + " [" + e.getMessage() + "]";
    }

    private static boolean isFull(SQLException e) {
        return e instanceof SQLiteException sqlite && (sqlite.getResultCode().code & 0xFF) == SQLITE_FULL;
    }

    private static String reason(SQLException e) {
        if (!(e instanceof SQLiteException sqlite)) {
            return "database error";
        }
        // Extended result codes carry the primary code in their low byte.
        return switch (sqlite.getResultCode().code & 0xFF) {
            case SQLITE_FULL -> "disk full (or the file reached its size limit); free space and retry";
            case 14 -> "cannot open the database file (missing directory, no permission, or a directory where "
                    + "the file should be)";
            case 8 -> "the database file or its directory is read-only";
            case 3, 23 -> "permission denied";
            case 11, 26 -> "the file is corrupt or not a SQLite database; restore it from a backup or move it away";
            case 10 -> "I/O error reading or writing the file";
            case 5, 6 -> "the database is locked by another process";
            default -> "SQLite error " + sqlite.getResultCode();
        };
    }
}
