package dev.weft.store.sqlite;

import dev.weft.core.broker.Epochs;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.IdempotentResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The reads {@link SqliteBroker} makes of its file, each on a reader connection it is lent. Stateless. */
final class StoredHistory {

    private StoredHistory() {
    }

    /**
     * A page of the channel's history with the stream position, in one read transaction so they agree; a
     * channel without a stream answers with the epoch its next stream gets ({@code seed} derives it).
     */
    static HistoryPage page(Connection reader, String channel, HistoryFilter filter, long now, byte[] seed)
            throws SQLException {
        return SqliteTransactions.read(reader, () -> {
            StreamPosition position = position(reader, channel);
            if (position == null) {
                String retired = retired(reader, channel);
                return new HistoryPage(List.of(), new StreamPosition(0,
                        retired != null ? retired : Epochs.derived(seed, channel)));
            }
            if (filter.limit() == 0) {
                return new HistoryPage(List.of(), position);
            }
            StringBuilder sql = new StringBuilder(
                    "SELECT position, time, data, meta FROM publications WHERE channel = ? AND expires_at > ?");
            if (filter.since() != null) {
                sql.append(filter.reverse() ? " AND position < ?" : " AND position > ?");
            }
            sql.append(filter.reverse() ? " ORDER BY position DESC" : " ORDER BY position").append(" LIMIT ?");
            try (PreparedStatement select = reader.prepareStatement(sql.toString())) {
                int i = 1;
                select.setString(i++, channel);
                select.setLong(i++, now);
                if (filter.since() != null) {
                    select.setLong(i++, SqliteBroker.sortKey(filter.since().offset()));
                }
                select.setInt(i, filter.limit() < 0 ? -1 : filter.limit());
                List<Publication> publications = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        byte[] data = rows.getBytes(3);
                        PublicationMeta.Decoded meta = PublicationMeta.decode(rows.getBytes(4));
                        publications.add(new Publication(data == null ? new byte[0] : data, meta.info(),
                                SqliteBroker.offset(rows.getLong(1)), meta.tags(), rows.getLong(2)));
                    }
                }
                return new HistoryPage(publications, position);
            }
        });
    }

    /** The channel's stream position, or null when it has no stream. */
    static StreamPosition position(Connection reader, String channel) throws SQLException {
        try (PreparedStatement select = reader.prepareStatement("SELECT epoch, top FROM streams WHERE channel = ?")) {
            select.setString(1, channel);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new StreamPosition(row.getLong(2), row.getString(1)) : null;
            }
        }
    }

    /** The epoch noted when the channel's last stream was dropped, or null. */
    static String retired(Connection reader, String channel) throws SQLException {
        try (PreparedStatement select = reader.prepareStatement("SELECT next_epoch FROM retired WHERE channel = ?")) {
            select.setString(1, channel);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * Fills {@code state} from the file: the stream, the retired epoch (noted under seed {@code generation})
     * and the idempotency results still live at {@code now}.
     */
    static void load(Connection reader, String channel, ChannelState state, long now, long generation)
            throws SQLException {
        SqliteTransactions.read(reader, () -> {
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT epoch, top, meta_expires_at FROM streams WHERE channel = ?")) {
                select.setString(1, channel);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        state.epoch = row.getString(1);
                        state.top = row.getLong(2);
                        state.metaExpiresAt = row.getLong(3);
                    }
                }
            }
            state.retiredNext = retired(reader, channel);
            state.retiredGeneration = generation;
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT key, offset, epoch, expires_at FROM idempotency WHERE channel = ? AND expires_at > ?")) {
                select.setString(1, channel);
                select.setLong(2, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        state.idempotentResults.put(rows.getString(1), new IdempotentResult(
                                new StreamPosition(rows.getLong(2), rows.getString(3)), rows.getLong(4)));
                    }
                }
            }
            return null;
        });
    }

    /** At most {@code limit} channels whose stream meta expired by {@code now}. */
    static List<String> expiredStreams(Connection reader, long now, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement select = reader.prepareStatement(
                "SELECT channel FROM streams WHERE meta_expires_at <= ? LIMIT " + limit)) {
            select.setLong(1, now);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** Channels with anything in the file: stream, history, idempotency results or retired epoch. */
    static long channelCount(Connection reader) throws SQLException {
        try (Statement statement = reader.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM (SELECT channel FROM streams "
                     + "UNION SELECT channel FROM publications UNION SELECT channel FROM idempotency "
                     + "UNION SELECT channel FROM retired)")) {
            row.next();
            return row.getLong(1);
        }
    }
}
