package dev.weft.store.sqlite;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.Epochs;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.IdempotentResult;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.broker.StreamRules;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static dev.weft.core.broker.StreamRules.NEVER;
import static dev.weft.core.broker.StreamRules.expiry;

/**
 * A durable {@link Broker} for a single node: channel streams, history, idempotency results and the epochs of
 * dropped streams live in one SQLite file, {@value #FILE_NAME}, under the data directory. A restarted node (after a
 * clean stop, SIGKILL or a power cut) answers every channel with the epoch and offsets it had, so clients recover
 * what they missed across the restart.
 *
 * <p><b>Durability.</b> WAL with {@code synchronous=FULL}; {@link #publish} returns only after the transaction
 * holding the publication committed. Publishes arriving together share one transaction and one sync ({@link
 * GroupCommit}), across channels; publishes into one channel keep their order in it.
 *
 * <p><b>Channel state.</b> What a publish must know at once — a stream's epoch and top offset, its meta expiry, its
 * live idempotency keys, the epoch its next stream gets — is cached per channel ({@link ChannelState}, loaded from
 * the file on first use; {@link ChannelStates}). Under the channel's lock a publish takes the next offset and
 * queues its write; it then waits for the commit without the lock, so publishes into one channel are committed
 * together too. Every write of a stream checks the top it expects ({@code UPDATE … WHERE top = ?}): when one fails,
 * the ones queued after it fail too rather than leave a gap, and the cached state is dropped and reloaded. Reads
 * wait for the channel's queued writes, then read the file in one read transaction, so a page and the position it
 * carries always agree with what was committed. A channel without a stream is read straight from the file and
 * cached nowhere: reading fresh channel names stores nothing.
 *
 * <p><b>Epochs.</b> As {@code MemoryBroker}: a channel that never had a stream reads with the epoch derived from
 * its name and a secret seed (kept in the file, so it survives restarts), which its first stream gets; a dropped
 * stream leaves its channel's next epoch in {@code retired}. Beyond {@code retiredLimit} retired channels the seed
 * is replaced and {@code retired} emptied, in one transaction.
 *
 * <p><b>Delivery.</b> A publication is handed to the {@link BrokerEventHandler} after its transaction committed, by
 * one delivery thread, in commit order — so per channel in offset order, never concurrently — together with joins
 * and leaves, which go to the same queue when called. Whether this node subscribed to the channel is decided at
 * commit, before {@link #publish} returns. The queue is bounded: a handler that falls behind holds the committer,
 * and so the publishers, back.
 *
 * <p><b>Expiry.</b> History entries past their TTL are never returned; a sweep every {@code sweepInterval} deletes
 * at most {@value #SWEEP_BATCH} expired entries and idempotency results per pass, drops at most as many streams
 * whose meta expired (retiring their epochs), and forgets cached channels that were idle for a pass and have no
 * write queued.
 *
 * <p>Thread-safe. Channel states are guarded as {@link ChannelStates} says; the writer connection belongs to the
 * committer ({@link GroupCommit}); readers are taken from a pool, one thread each; {@link #lifecycle} lets {@link
 * #close} wait for calls in flight. The handler runs on the delivery thread; there it may call {@link #subscribe},
 * {@link #unsubscribe}, {@link #publishJoin}, {@link #publishLeave} and {@link #publish} without history or
 * idempotency key, but a {@link #publish} that stores something, {@link #history} and {@link #removeHistory} wait
 * for commits that wait for the delivery thread, so they throw {@link IllegalStateException} there instead of
 * hanging.
 */
public final class SqliteBroker implements Broker {

    /** The file this broker keeps under the data directory. */
    public static final String FILE_NAME = "history.db";
    /**
     * Locked while a broker has the directory open: two processes on one file would each cache streams the other
     * moves on, so the second one is refused.
     */
    static final String LOCK_FILE_NAME = "history.lock";

    private static final Logger log = LoggerFactory.getLogger(SqliteBroker.class);
    static final int SWEEP_BATCH = 1000;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Retired channels kept before the seed is replaced. */
    static final int RETIRED_LIMIT = 100_000;
    private static final int DELIVERY_QUEUE = 16_384;

    private final Path file;
    private final FileLock directoryLock;
    private final Clock clock;
    private final Lifecycle lifecycle = new Lifecycle();
    private final SqliteConnections connections;
    private final GroupCommit writes;
    private final ChannelStates states;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final DeliveryQueue deliveries = new DeliveryQueue(DELIVERY_QUEUE);
    private final ScheduledExecutorService sweeper;
    private volatile BrokerEventHandler handler;

    private SqliteBroker(Path file, FileLock directoryLock, Clock clock, int retiredLimit, Duration sweepInterval,
                         SqliteConnections connections, byte[] seed, long retired) {
        this.file = file;
        this.directoryLock = directoryLock;
        this.clock = clock;
        this.connections = connections;
        this.writes = new GroupCommit(connections.writer(), new ReentrantLock(), "weft-sqlite-broker-commit");
        long period = sweepInterval.toMillis();
        this.states = new ChannelStates(file, clock, retiredLimit, period, connections, writes, seed, retired);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-sqlite-broker-sweep").factory());
        sweeper.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (creating when missing) {@value #FILE_NAME} under {@code dataDirectory}, creating the directory too,
     * and brings its schema up to date.
     *
     * @throws SqliteBrokerException when the directory or file cannot be created or opened, the file is not a
     *     SQLite database or is corrupt, or its schema is newer than this version of Weft knows
     */
    public static SqliteBroker open(Path dataDirectory) {
        return open(dataDirectory, Clock.systemUTC(), RETIRED_LIMIT, SWEEP_INTERVAL);
    }

    /** {@link #open(Path)} judging expiry against {@code clock}, with the given limits (for tests). */
    static SqliteBroker open(Path dataDirectory, Clock clock, int retiredLimit, Duration sweepInterval) {
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new SqliteBrokerException("cannot create the data directory " + dataDirectory.toAbsolutePath()
                    + " for channel history: " + e, e);
        }
        FileLock lock = DataDirectoryLock.take(dataDirectory);
        SqliteConnections connections = null;
        try {
            connections = SqliteConnections.open(file, 0, "channel history");
            Connection writer = connections.writer();
            BrokerSchema.migrate(writer);
            byte[] seed = loadOrCreateSeed(writer);
            long retired;
            try (Statement statement = writer.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM retired")) {
                row.next();
                retired = row.getLong(1);
            }
            log.info("Channel history: {}", file);
            return new SqliteBroker(file, lock, clock, retiredLimit, sweepInterval, connections, seed, retired);
        } catch (SQLException | RuntimeException e) {
            if (connections != null) {
                connections.close();
            }
            DataDirectoryLock.release(lock);
            String failure = "cannot open the channel history";
            throw e instanceof SQLException sql
                    ? new SqliteBrokerException(SqliteFailures.describe(failure, file, sql), sql)
                    : new SqliteBrokerException(failure + " (" + file + "): " + e.getMessage(), e);
        }
    }

    private static byte[] loadOrCreateSeed(Connection writer) throws SQLException {
        return SqliteTransactions.run(writer, () -> {
            try (PreparedStatement select = writer.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
                select.setString(1, BrokerSchema.SEED_SETTING);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return row.getBytes(1);
                    }
                }
            }
            byte[] created = Epochs.newSeed();
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO settings (name, value) VALUES (?, ?)")) {
                insert.setString(1, BrokerSchema.SEED_SETTING);
                insert.setBytes(2, created);
                insert.executeUpdate();
            }
            return created;
        });
    }

    @Override
    public void setEventHandler(BrokerEventHandler handler) {
        this.handler = handler;
    }

    @Override
    public void subscribe(String channel) {
        subscribed.add(Objects.requireNonNull(channel, "channel"));
    }

    @Override
    public void unsubscribe(String channel) {
        subscribed.remove(Objects.requireNonNull(channel, "channel"));
    }

    // ---- publish ------------------------------------------------------------------------------------------

    @Override
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        String failure = "cannot publish into channel '" + channel + "'";
        lifecycle.enter();
        try {
            checkOpen(failure);
            if (!options.keepsHistory() && options.idempotencyKey().isEmpty()) {
                // Nothing to store and nothing to look up: no channel state either, and no commit to wait for.
                deliverPublication(channel, new Publication(data, options.info(), 0, options.tags(), 0), "",
                        options.delta());
                return new PublishOutcome(new StreamPosition(0, ""), false);
            }
            deliveries.checkNotDelivering("publish with history or an idempotency key");
            while (true) {
                ChannelState state = states.loaded(channel, failure);
                CompletableFuture<PublishOutcome> outcome;
                state.lock.lock();
                try {
                    if (state.removed) {
                        continue;
                    }
                    outcome = publishLocked(channel, state, data, options);
                } finally {
                    state.lock.unlock();
                }
                return states.await(outcome, failure, channel, state);
            }
        } finally {
            lifecycle.exit();
        }
    }

    /** Takes the next offset and queues the write; the caller holds the state's lock. */
    private CompletableFuture<PublishOutcome> publishLocked(String channel, ChannelState state, byte[] data,
                                                           PublishOptions options) {
        long now = clock.millis();
        state.lastUsed = now;
        String key = options.idempotencyKey();
        PublishOutcome replayed = IdempotentResult.replay(state.idempotentResults, key, now);
        if (replayed != null) {
            return CompletableFuture.completedFuture(replayed);
        }
        long keyExpiresAt = expiry(now, options.idempotentResultTtl());
        if (!options.keepsHistory()) {
            Publication publication = new Publication(data, options.info(), 0, options.tags(), 0);
            PublishOutcome outcome = new PublishOutcome(new StreamPosition(0, ""), false);
            state.idempotentResults.put(key, new IdempotentResult(outcome.position(), keyExpiresAt));
            return states.queue(state, new HistoryWrites.KeyWrite(channel, key, outcome.position(), keyExpiresAt,
                    () -> deliverPublication(channel, publication, "", options.delta())))
                    .thenApply(ignored -> outcome);
        }
        states.expire(channel, state, now);
        if (StreamRules.offsetsUsedUp(channel, state.epoch, state.top)) {
            states.dropStream(channel, state);
        }
        boolean fresh = state.epoch == null;
        if (fresh) {
            states.startStream(channel, state);
        }
        long previousTop = state.top;
        state.top++;
        state.metaExpiresAt = options.historyMetaTtl().isPositive() ? expiry(now, options.historyMetaTtl()) : NEVER;
        Publication publication = new Publication(data, options.info(), state.top, options.tags(), 0);
        StreamPosition position = new StreamPosition(state.top, state.epoch);
        if (!key.isEmpty()) {
            state.idempotentResults.put(key, new IdempotentResult(position, keyExpiresAt));
        }
        String epoch = state.epoch;
        HistoryWrites.PublishWrite write = new HistoryWrites.PublishWrite(channel, fresh, epoch, previousTop,
                state.metaExpiresAt, expiry(now, options.historyTtl()), options.historySize(), publication, key,
                keyExpiresAt, () -> deliverPublication(channel, publication, epoch, options.delta()));
        return states.queue(state, write).thenApply(ignored -> new PublishOutcome(position, false));
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        deliver(channel, h -> h.handleJoin(channel, info));
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        deliver(channel, h -> h.handleLeave(channel, info));
    }

    // ---- reads and removal --------------------------------------------------------------------------------

    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(filter, "filter");
        deliveries.checkNotDelivering("history");
        String failure = "cannot read the history of channel '" + channel + "'";
        lifecycle.enter();
        try {
            checkOpen(failure);
            ChannelState state = states.cached(channel);
            if (state == null && states.streamStored(channel, failure)) {
                state = states.loaded(channel, failure);
            }
            if (state != null) {
                states.settle(channel, state, failure, s -> {
                    long now = clock.millis();
                    states.expire(channel, s, now);
                    if (s.epoch != null && filter.metaTtl().isPositive()) {
                        long extended = expiry(now, filter.metaTtl());
                        if (extended > s.metaExpiresAt) {
                            s.metaExpiresAt = extended;
                            states.queue(s, new HistoryWrites.ExtendMetaWrite(channel, s.epoch, extended));
                        }
                    }
                });
            }
            return states.read(failure,
                    reader -> StoredHistory.page(reader, channel, filter, clock.millis(), states.seed()));
        } finally {
            lifecycle.exit();
        }
    }

    @Override
    public void removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        deliveries.checkNotDelivering("removeHistory");
        String failure = "cannot remove the history of channel '" + channel + "'";
        lifecycle.enter();
        try {
            checkOpen(failure);
            if (states.cached(channel) == null && !states.streamStored(channel, failure)) {
                return;
            }
            states.settle(channel, states.loaded(channel, failure), failure, s -> {
                if (s.epoch != null) {
                    states.dropStream(channel, s);
                }
            });
        } finally {
            lifecycle.exit();
        }
    }

    // ---- delivery -----------------------------------------------------------------------------------------

    private void deliverPublication(String channel, Publication publication, String epoch, boolean delta) {
        deliver(channel, h -> h.handlePublication(channel, publication, epoch, delta));
    }

    /** Queues an event for the delivery thread if this node subscribed to the channel, decided now. */
    private void deliver(String channel, Consumer<BrokerEventHandler> call) {
        BrokerEventHandler h = handler;
        if (h == null || !subscribed.contains(channel)) {
            return;
        }
        deliveries.add(() -> {
            try {
                call.accept(h);
            } catch (RuntimeException e) {
                log.warn("Broker event handler failed for channel {}", channel, e);
            }
        });
    }

    // ---- sweep --------------------------------------------------------------------------------------------

    private void sweepSafely() {
        lifecycle.enter();
        try {
            if (!lifecycle.isClosed()) {
                sweep();
            }
        } catch (RuntimeException e) {
            log.error("Channel history sweep failed ({})", file, e);
        } finally {
            lifecycle.exit();
        }
    }

    /** One bounded pass: expired history and keys, streams whose meta expired, idle cached channels. */
    void sweep() {
        states.sweep(SWEEP_BATCH);
    }

    // ---- inspection (tests) -------------------------------------------------------------------------------

    /** Channels with anything in the file (stream, history, idempotency results, retired epoch) or cached. */
    long storedChannelCount() {
        return states.read("cannot count channels", StoredHistory::channelCount) + states.cachedCount();
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    /** Waits for calls in flight, delivers what was committed, and closes the file. */
    @Override
    public void close() {
        lifecycle.close(() -> {
            sweeper.shutdownNow();
            // Writes nobody waits for (meta extensions, expiry drops) are queued too: let them commit first.
            writes.submit(sql -> null).join();
            writes.close();
            deliveries.close();
            connections.close();
            DataDirectoryLock.release(directoryLock);
            log.info("Channel history closed: {}", file);
        });
    }

    @Override
    public String toString() {
        return "SqliteBroker[" + file + "]";
    }

    private void checkOpen(String failure) {
        if (lifecycle.isClosed()) {
            throw new SqliteBrokerException(failure + " (" + file + "): the broker is closed");
        }
    }

    /** Offsets are unsigned; flipping the sign bit makes SQLite's signed order theirs. */
    static long sortKey(long offset) {
        return offset ^ Long.MIN_VALUE;
    }

    static long offset(long sortKey) {
        return sortKey ^ Long.MIN_VALUE;
    }
}
