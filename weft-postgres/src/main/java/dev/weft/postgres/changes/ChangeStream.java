package dev.weft.postgres.changes;

import dev.weft.core.CommandFailedException;
import dev.weft.core.Node;
import dev.weft.core.ServerPublish;
import dev.weft.postgres.changes.ChangeRouter.Routed;
import dev.weft.postgres.changes.PgOutputMessage.Begin;
import dev.weft.postgres.changes.PgOutputMessage.Commit;
import dev.weft.postgres.changes.PgOutputMessage.Delete;
import dev.weft.postgres.changes.PgOutputMessage.Insert;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import dev.weft.postgres.changes.PgOutputMessage.Skipped;
import dev.weft.postgres.changes.PgOutputMessage.Truncate;
import dev.weft.postgres.changes.PgOutputMessage.Update;
import dev.weft.store.postgres.PostgresDsn;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one logical replication slot ({@code pgoutput}) and publishes its row changes through the {@link Node}
 * by rule. Creates the publication and the slot when missing.
 *
 * <p>Delivery: Postgres sends only committed transactions, each whole and in commit order; their changes are
 * published in order, one after another, on this stream's own thread. The slot is confirmed up to a
 * transaction's end only after the broker accepted every publication of it, so after a crash or a lost
 * connection Postgres sends again what was not confirmed. Each publication carries the idempotency key
 * {@code <slot>:<commit LSN>:<change index>}, so a change sent again within the broker's idempotency window is
 * not delivered twice. A channel the engine refuses (unknown namespace, invalid name) is logged with the change
 * and skipped; any other failure (Postgres gone, broker unavailable, a message that cannot be decoded) closes
 * the connection and reconnects with backoff, resuming from the slot.
 *
 * <p>A slot nobody reads makes Postgres keep WAL: the slot's lag is read every
 * {@link ChangeStreamConfig#lagCheckInterval()} and logged at WARN above {@link ChangeStreamConfig#lagWarnBytes()}.
 * Thread-safe: {@link #start()} and {@link #close()} from any thread; the getters may be read from any thread.
 */
public final class ChangeStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** How long the reader parks when Postgres has sent nothing: bounds the latency it adds. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final String DUPLICATE_OBJECT = "42710";

    private final ChangeStreamConfig config;
    private final Node node;
    private final ChangeRouter router;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean streaming;
    /** Bytes of WAL the slot holds back, as last read; -1 before the first reading. */
    private final AtomicLong lagBytes = new AtomicLong(-1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public ChangeStream(ChangeStreamConfig config, Node node) {
        this.config = config;
        this.node = node;
        this.router = new ChangeRouter(config.tables());
        this.thread = Thread.ofPlatform().name("weft-pg-changes-" + config.name()).daemon().unstarted(this::run);
    }

    public ChangeStreamConfig config() {
        return config;
    }

    public void start() {
        thread.start();
    }

    /** WAL bytes the slot holds back (current WAL position minus the confirmed position); -1 when unknown. */
    public long lagBytes() {
        return lagBytes.get();
    }

    /** Publications the broker accepted since start (a replayed change counts again). */
    public long published() {
        return published.get();
    }

    /** Transactions confirmed since start. */
    public long transactions() {
        return transactions.get();
    }

    /** Changes skipped because the engine refused their channel. */
    public long skipped() {
        return skipped.get();
    }

    /** Whether the stream is connected and reading. */
    public boolean streaming() {
        return streaming;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try (Connection sql = connect(false); Connection replication = connect(true)) {
                prepare(sql);
                PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                        .replicationStream().logical().withSlotName(config.slot())
                        .withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", config.publication())
                        .withStatusInterval(1, TimeUnit.SECONDS).start();
                log.info("change stream {}: reading slot {} (publication {})", config.name(), config.slot(),
                        config.publication());
                streaming = true;
                backoff = FIRST_BACKOFF;
                consume(stream, sql);
                stream.forceUpdateStatus();
                stream.close();
            } catch (SQLException | RuntimeException e) {
                streaming = false;
                if (!running) {
                    break;
                }
                log.warn("change stream {}: {}; reconnecting in {} ms", config.name(), describe(e), backoff.toMillis());
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        streaming = false;
        log.info("change stream {}: stopped", config.name());
    }

    private void consume(PGReplicationStream stream, Connection sql) throws SQLException {
        Map<Integer, Relation> relations = new HashMap<>();
        boolean inTransaction = false;
        long commitLsn = 0;
        int xid = 0;
        int index = 0;
        long confirmed = 0;
        long nextLagCheck = 0;
        while (running) {
            if (System.nanoTime() - nextLagCheck >= 0) {
                checkLag(sql);
                nextLagCheck = System.nanoTime() + config.lagCheckInterval().toNanos();
            }
            ByteBuffer buffer = stream.readPending();
            if (buffer == null) {
                if (!inTransaction) {
                    // Nothing half-published: everything received so far is done with, including WAL of tables
                    // no rule reads, so the slot may move on and Postgres may recycle that WAL.
                    confirmed = confirm(stream, stream.getLastReceiveLSN().asLong(), confirmed);
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            PgOutputMessage message = PgOutputDecoder.decode(buffer);
            switch (message) {
                case Relation r -> relations.put(r.id(), r);
                case Begin b -> {
                    inTransaction = true;
                    commitLsn = b.finalLsn();
                    xid = b.xid();
                    index = 0;
                }
                case Insert i -> index = publish(router.route(ChangeEvent.INSERT, relation(relations, i.relationId()),
                        i.row(), null, false, commitLsn, xid), commitLsn, index);
                case Update u -> index = publish(router.route(ChangeEvent.UPDATE, relation(relations, u.relationId()),
                        u.row(), u.old(), u.oldIsKeyOnly(), commitLsn, xid), commitLsn, index);
                case Delete d -> index = publish(router.route(ChangeEvent.DELETE, relation(relations, d.relationId()),
                        null, d.old(), d.oldIsKeyOnly(), commitLsn, xid), commitLsn, index);
                case Truncate t -> {
                    for (int id : t.relationIds()) {
                        index = publish(router.route(ChangeEvent.TRUNCATE, relation(relations, id), null, null,
                                false, commitLsn, xid), commitLsn, index);
                    }
                }
                case Commit c -> {
                    confirmed = confirm(stream, c.endLsn(), confirmed);
                    inTransaction = false;
                    transactions.incrementAndGet();
                }
                case Skipped s -> {
                    // Origin, type and logical messages carry nothing to publish.
                }
            }
        }
    }

    /**
     * Lets Postgres release WAL up to {@code lsn} (sent with the next status update); never backwards (the last
     * received position can be behind a commit's end). Returns the confirmed position.
     */
    private static long confirm(PGReplicationStream stream, long lsn, long confirmed) {
        if (Long.compareUnsigned(lsn, confirmed) <= 0) {
            return confirmed;
        }
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
        return lsn;
    }

    /** Publishes in order; returns the next change index of the transaction. */
    private int publish(List<Routed> changes, long commitLsn, int index) {
        for (Routed change : changes) {
            String key = config.slot() + ":" + LogSequenceNumber.valueOf(commitLsn).asString() + ":" + index++;
            try {
                node.publish(change.channel(), change.payload(), new ServerPublish(Map.of(), key, false));
                published.incrementAndGet();
            } catch (CommandFailedException refused) {
                skipped.incrementAndGet();
                log.warn("change stream {}: channel {} refused ({}); change {} skipped: {}", config.name(),
                        change.channel(), refused.getMessage(), key,
                        new String(change.payload(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return index;
    }

    private static Relation relation(Map<Integer, Relation> relations, int id) {
        Relation relation = relations.get(id);
        if (relation == null) {
            throw new PgOutputFormatException("change of relation " + id + " before its Relation message");
        }
        return relation;
    }

    /** Creates the publication and the slot when missing (another node creating them at once is fine). */
    private void prepare(Connection sql) throws SQLException {
        try (Statement statement = sql.createStatement()) {
            for (String setup : config.setup()) {
                statement.execute(setup);
            }
        }
        if (!exists(sql, "select 1 from pg_publication where pubname = ?", config.publication())) {
            StringJoiner tables = new StringJoiner(", ");
            router.tables().forEach(t -> tables.add(quoteQualified(t)));
            try (Statement statement = sql.createStatement()) {
                statement.execute("create publication " + config.publication() + " for table " + tables);
                log.info("change stream {}: created publication {} for {}", config.name(), config.publication(),
                        tables);
            } catch (SQLException e) {
                if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        if (!exists(sql, "select 1 from pg_replication_slots where slot_name = ?", config.slot())) {
            try (PreparedStatement create = sql.prepareStatement(
                    "select pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, config.slot());
                create.execute();
                log.info("change stream {}: created logical replication slot {}; while Weft does not read it, "
                        + "Postgres keeps its WAL (drop it with pg_drop_replication_slot('{}'))", config.name(),
                        config.slot(), config.slot());
            } catch (SQLException e) {
                if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private void checkLag(Connection sql) throws SQLException {
        try (PreparedStatement query = sql.prepareStatement("select pg_wal_lsn_diff(pg_current_wal_lsn(), "
                + "confirmed_flush_lsn)::bigint from pg_replication_slots where slot_name = ?")) {
            query.setString(1, config.slot());
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                long lag = rs.getLong(1);
                long before = lagBytes.getAndSet(lag);
                long limit = config.lagWarnBytes();
                if (limit > 0 && lag > limit && before <= limit) {
                    log.warn("change stream {}: slot {} holds back {} bytes of WAL (more than {}); Postgres keeps it "
                            + "until Weft confirms it", config.name(), config.slot(), lag, limit);
                } else if (limit > 0 && lag <= limit && before > limit) {
                    log.info("change stream {}: slot {} lag back to {} bytes", config.name(), config.slot(), lag);
                }
            }
        }
    }

    private static boolean exists(Connection sql, String query, String name) throws SQLException {
        try (PreparedStatement statement = sql.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Connection connect(boolean replication) throws SQLException {
        PostgresDsn dsn = PostgresDsn.parse(config.dsn());
        Properties properties = dsn.properties();
        PGProperty.CONNECT_TIMEOUT.set(properties, 10);
        PGProperty.APPLICATION_NAME.set(properties, "weft-changes-" + config.name());
        if (replication) {
            PGProperty.REPLICATION.set(properties, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
            PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        } else {
            PGProperty.SOCKET_TIMEOUT.set(properties, 30);
        }
        return DriverManager.getConnection(dsn.jdbcUrl(), properties);
    }

    static String quoteQualified(String table) {
        int dot = table.indexOf('.');
        return quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() != null && e.getCause().getMessage() != null && !message.contains(e.getCause().getMessage())
                ? message + " (" + e.getCause().getMessage() + ")" : message;
    }
}
