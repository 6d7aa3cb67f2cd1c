package dev.weft.store.sqlite;

import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The writes {@link SqliteBroker} queues on its {@link GroupCommit}, each run inside a batch's transaction. A
 * write that changes a stream names the epoch (and, for a publish, the top offset) it expects, so it fails
 * rather than apply to a stream that moved on. {@code onCommit} runs on the committer thread, in commit order.
 */
final class HistoryWrites {

    private HistoryWrites() {
    }

    /** A publication with history: advances the stream (checking its top), appends, trims, keeps the key. */
    record PublishWrite(String channel, boolean fresh, String epoch, long previousTop, long metaExpiresAt,
                        long expiresAt, int historySize, Publication publication, String key, long keyExpiresAt,
                        Runnable onCommit) implements GroupCommit.Write<Void> {

        @Override
        public Void apply(GroupCommit.Statements sql) throws SQLException {
            long top = publication.offset();
            if (fresh) {
                PreparedStatement insert = sql.prepare(
                        "INSERT INTO streams (channel, epoch, top, meta_expires_at) VALUES (?, ?, ?, ?)");
                insert.setString(1, channel);
                insert.setString(2, epoch);
                insert.setLong(3, top);
                insert.setLong(4, metaExpiresAt);
                insert.executeUpdate();
                PreparedStatement unretire = sql.prepare("DELETE FROM retired WHERE channel = ?");
                unretire.setString(1, channel);
                unretire.executeUpdate();
            } else {
                PreparedStatement advance = sql.prepare("UPDATE streams SET top = ?, meta_expires_at = ? "
                        + "WHERE channel = ? AND epoch = ? AND top = ?");
                advance.setLong(1, top);
                advance.setLong(2, metaExpiresAt);
                advance.setString(3, channel);
                advance.setString(4, epoch);
                advance.setLong(5, previousTop);
                if (advance.executeUpdate() != 1) {
                    throw new SQLException("the stream of channel '" + channel + "' is not at offset "
                            + Long.toUnsignedString(previousTop) + " of epoch " + epoch
                            + " (an earlier write failed)");
                }
            }
            PreparedStatement append = sql.prepare("INSERT INTO publications "
                    + "(channel, position, expires_at, time, data, meta) VALUES (?, ?, ?, ?, ?, ?)");
            append.setString(1, channel);
            append.setLong(2, SqliteBroker.sortKey(top));
            append.setLong(3, expiresAt);
            append.setLong(4, publication.time());
            append.setBytes(5, publication.data());
            append.setBytes(6, PublicationMeta.encode(publication.info(), publication.tags()));
            append.executeUpdate();
            if (Long.compareUnsigned(top, historySize) > 0) {
                PreparedStatement trim = sql.prepare("DELETE FROM publications WHERE channel = ? AND position <= ?");
                trim.setString(1, channel);
                trim.setLong(2, SqliteBroker.sortKey(top - historySize));
                trim.executeUpdate();
            }
            if (!key.isEmpty()) {
                KeyWrite.store(sql, channel, key, new StreamPosition(top, epoch), keyExpiresAt);
            }
            return null;
        }

        @Override
        public void committed(Void ignored) {
            onCommit.run();
        }
    }

    /** The result of a publish without history made with an idempotency key. */
    record KeyWrite(String channel, String key, StreamPosition position, long expiresAt, Runnable onCommit)
            implements GroupCommit.Write<Void> {

        @Override
        public void committed(Void ignored) {
            onCommit.run();
        }

        @Override
        public Void apply(GroupCommit.Statements sql) throws SQLException {
            store(sql, channel, key, position, expiresAt);
            return null;
        }

        static void store(GroupCommit.Statements sql, String channel, String key, StreamPosition position,
                          long expiresAt) throws SQLException {
            PreparedStatement upsert = sql.prepare("INSERT OR REPLACE INTO idempotency "
                    + "(channel, key, offset, epoch, expires_at) VALUES (?, ?, ?, ?, ?)");
            upsert.setString(1, channel);
            upsert.setString(2, key);
            upsert.setLong(3, position.offset());
            upsert.setString(4, position.epoch());
            upsert.setLong(5, expiresAt);
            upsert.executeUpdate();
        }
    }

    /** Drops a stream with its history and notes the channel's next epoch. */
    record DropWrite(String channel, String epoch, String next) implements GroupCommit.Write<Void> {
        @Override
        public Void apply(GroupCommit.Statements sql) throws SQLException {
            PreparedStatement stream = sql.prepare("DELETE FROM streams WHERE channel = ? AND epoch = ?");
            stream.setString(1, channel);
            stream.setString(2, epoch);
            stream.executeUpdate();
            PreparedStatement history = sql.prepare("DELETE FROM publications WHERE channel = ?");
            history.setString(1, channel);
            history.executeUpdate();
            PreparedStatement retire = sql.prepare("INSERT OR REPLACE INTO retired (channel, next_epoch) VALUES (?, ?)");
            retire.setString(1, channel);
            retire.setString(2, next);
            retire.executeUpdate();
            return null;
        }
    }

    /** A history read asked the stream meta to live longer. */
    record ExtendMetaWrite(String channel, String epoch, long expiresAt) implements GroupCommit.Write<Void> {
        @Override
        public Void apply(GroupCommit.Statements sql) throws SQLException {
            PreparedStatement extend = sql.prepare("UPDATE streams SET meta_expires_at = max(meta_expires_at, ?) "
                    + "WHERE channel = ? AND epoch = ?");
            extend.setLong(1, expiresAt);
            extend.setString(2, channel);
            extend.setString(3, epoch);
            extend.executeUpdate();
            return null;
        }
    }
}
