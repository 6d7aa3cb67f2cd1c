package dev.weft.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The history file's tables ({@value SqliteBroker#FILE_NAME}), created in a new file and migrated one step per
 * version keyed by SQLite's {@code user_version}, each step in the transaction that bumps the version.
 *
 * <ul>
 *   <li>{@code streams}: one row per channel with a stream: epoch, top offset, when its meta expires.
 *   <li>{@code publications}: history. {@code position} is the offset with its sign bit flipped, so SQLite's
 *       signed order is the offsets' unsigned order.
 *   <li>{@code idempotency}: results of publishes made with an idempotency key, until they expire.
 *   <li>{@code retired}: the epoch of the next stream of a channel whose stream was dropped.
 *   <li>{@code settings}: the seed from which the epoch of a channel that never had a stream is derived.
 * </ul>
 */
final class BrokerSchema {

    /** Step {@code i} brings a file from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> STEPS = List.of(
            List.of(
                    """
                    CREATE TABLE streams (
                        channel TEXT PRIMARY KEY,
                        epoch TEXT NOT NULL,
                        top INTEGER NOT NULL,
                        meta_expires_at INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    "CREATE INDEX streams_by_meta_expiry ON streams (meta_expires_at)",
                    """
                    CREATE TABLE publications (
                        id INTEGER PRIMARY KEY,
                        channel TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        time INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        meta BLOB,
                        UNIQUE (channel, position)
                    )""",
                    "CREATE INDEX publications_by_expiry ON publications (expires_at)",
                    """
                    CREATE TABLE idempotency (
                        channel TEXT NOT NULL,
                        key TEXT NOT NULL,
                        offset INTEGER NOT NULL,
                        epoch TEXT NOT NULL,
                        expires_at INTEGER NOT NULL,
                        PRIMARY KEY (channel, key)
                    ) WITHOUT ROWID""",
                    "CREATE INDEX idempotency_by_expiry ON idempotency (expires_at)",
                    "CREATE TABLE retired (channel TEXT PRIMARY KEY, next_epoch TEXT NOT NULL) WITHOUT ROWID",
                    "CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"));

    static final int VERSION = STEPS.size();
    /** The {@code settings} row holding the seed epochs derive from. */
    static final String SEED_SETTING = "seed";

    private BrokerSchema() {
    }

    /** Brings the file behind {@code connection} to {@link #VERSION}; refuses a file from a newer Weft. */
    static void migrate(Connection connection) throws SQLException {
        int found = SqliteSchema.migrate(connection, STEPS);
        if (found > VERSION) {
            throw new IllegalStateException("the history file was written by a newer Weft (schema version " + found
                    + ", this version knows up to " + VERSION + "); refusing to open it");
        }
    }
}
