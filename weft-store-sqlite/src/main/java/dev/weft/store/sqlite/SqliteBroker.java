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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

import static dev.weft.core.broker.StreamRules.NEVER;
import static dev.weft.core.broker.StreamRules.expiry;

/**
 * A durable {@link Broker} for a single node: channel streams, history, idempotency results and the epochs of
 * dropped streams live in one SQLite file, {@value #FILE_NAME}, under the data directory. A restarted node
 * (after a clean stop, SIGKILL or a power cut) answers every channel with the epoch and offsets it had, so
 * clients recover what they missed across the restart.
 *
 * <p><b>Durability.</b> WAL with {@code synchronous=FULL}; {@link #publish} returns only after the transaction
 * holding the publication committed. Publishes arriving together share one transaction and one sync
 * ({@link GroupCommit}), across channels; publishes into one channel keep their order in it.
 *
 * <p><b>Channel state.</b> What a publish must know at once — a stream's epoch and top offset, its meta expiry,
 * its live idempotency keys, the epoch its next stream gets — is cached per channel ({@link ChannelState},
 * loaded from the file on first use). Under the channel's lock a publish takes the next offset and queues its
 * write; it then waits for the commit without the lock, so publishes into one channel are committed together
 * too. Every write of a stream checks the top it expects ({@code UPDATE … WHERE top = ?}): when one fails, the
 * ones queued after it fail too rather than leave a gap, and the cached state is dropped and reloaded. Reads
 * wait for the channel's queued writes, then read the file in one read transaction, so a page and the position
 * it carries always agree with what was committed. A channel without a stream is read straight from the file
 * and cached nowhere: reading fresh channel names stores nothing.
 *
 * <p><b>Epochs.</b> As {@code MemoryBroker}: a channel that never had a stream reads with the epoch derived
 * from its name and a secret seed (kept in the file, so it survives restarts), which its first stream gets; a
 * dropped stream leaves its channel's next epoch in {@code retired}. Beyond {@code retiredLimit} retired
 * channels the seed is replaced and {@code retired} emptied, in one transaction.
 *
 * <p><b>Delivery.</b> A publication is handed to the {@link BrokerEventHandler} after its transaction committed,
 * by one delivery thread, in commit order — so per channel in offset order, never concurrently — together
 * with joins and leaves, which go to the same queue when called. Whether this node subscribed to the channel is
 * decided at commit, before {@link #publish} returns. The queue is bounded: a handler that falls behind holds
 * the committer, and so the publishers, back.
 *
 * <p><b>Expiry.</b> History entries past their TTL are never returned; a sweep every {@code sweepInterval}
 * deletes at most {@value #SWEEP_BATCH} expired entries and idempotency results per pass, drops at most as
 * many streams whose meta expired (retiring their epochs), and forgets cached channels that were idle for a
 * pass and have no write queued.
 *
 * <p>Thread-safe. {@link #channels} is a concurrent map; each state's fields are guarded by its lock; the
 * writer connection belongs to the committer ({@link GroupCommit}); readers are taken from a pool, one thread
 * each; {@link #lifecycle} lets {@link #close} wait for calls in flight. The handler runs on the delivery
 * thread; there it may call {@link #subscribe}, {@link #unsubscribe}, {@link #publishJoin} and
 * {@link #publishLeave}, but {@link #publish}, {@link #history} and {@link #removeHistory} wait for commits that
 * wait for the delivery thread, so they throw {@link IllegalStateException} there instead of hanging.
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
    private static final String SEED = "seed";

    private final Path file;
    private final FileLock directoryLock;
    private final Clock clock;
    private final int retiredLimit;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final SqliteConnections connections;
    private final GroupCommit writes;
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicLong retiredCount;
    private final DeliveryQueue deliveries = new DeliveryQueue(DELIVERY_QUEUE);
    private final ScheduledExecutorService sweeper;
    /** A cached channel unused for this long, with nothing queued, is forgotten by the sweep. */
    private final long idleMillis;
    /** Current seed and its generation (bumped by every reseed); replaced together under {@code this}. */
    private volatile Seed seed;
    private volatile BrokerEventHandler handler;
    private boolean closed; // written under lifecycle's write lock, read under its read lock

    private record Seed(byte[] bytes, long generation) {
    }

    private SqliteBroker(Path file, FileLock directoryLock, Clock clock, int retiredLimit, Duration sweepInterval,
                         SqliteConnections connections, byte[] seed, long retired) {
        this.file = file;
        this.directoryLock = directoryLock;
        this.clock = clock;
        this.retiredLimit = retiredLimit;
        this.connections = connections;
        this.seed = new Seed(seed, 0);
        this.retiredCount = new AtomicLong(retired);
        this.writes = new GroupCommit(connections.writer(), writeLock, "weft-sqlite-broker-commit");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-sqlite-broker-sweep").factory());
        long period = sweepInterval.toMillis();
        this.idleMillis = period;
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
        FileLock lock = lockDirectory(dataDirectory);
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
            release(lock);
            throw e instanceof SQLException sql
                    ? new SqliteBrokerException(SqliteFailures.describe("cannot open the channel history", file, sql), sql)
                    : new SqliteBrokerException("cannot open the channel history (" + file + "): " + e.getMessage(), e);
        }
    }

    private static FileLock lockDirectory(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(LOCK_FILE_NAME).toAbsolutePath();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this process: fall through to the refusal
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SqliteBrokerException("cannot lock " + lockFile + " for the channel history: " + e, e);
        }
        closeQuietly(channel);
        throw new SqliteBrokerException("cannot open the channel history under " + dataDirectory.toAbsolutePath()
                + ": another Weft node uses this data directory (" + lockFile + " is locked); give each node its "
                + "own data_dir");
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("Releasing {} failed: {}", LOCK_FILE_NAME, e.toString());
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private static byte[] loadOrCreateSeed(Connection writer) throws SQLException {
        return SqliteTransactions.run(writer, () -> {
            try (PreparedStatement select = writer.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
                select.setString(1, SEED);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        return row.getBytes(1);
                    }
                }
            }
            byte[] created = Epochs.newSeed();
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO settings (name, value) VALUES (?, ?)")) {
                insert.setString(1, SEED);
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
        deliveries.checkNotDelivering("publish");
        String failure = "cannot publish into channel '" + channel + "'";
        lifecycle.readLock().lock();
        try {
            checkOpen(failure);
            if (!options.keepsHistory() && options.idempotencyKey().isEmpty()) {
                // Nothing to store and nothing to look up: no channel state either.
                deliverPublication(channel, new Publication(data, options.info(), 0, options.tags(), 0), "");
                return new PublishOutcome(new StreamPosition(0, ""), false);
            }
            while (true) {
                ChannelState state = loadedState(channel, failure);
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
                return await(outcome, failure, channel, state);
            }
        } finally {
            lifecycle.readLock().unlock();
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
            return queue(state, new HistoryWrites.KeyWrite(channel, key, outcome.position(), keyExpiresAt,
                    () -> deliverPublication(channel, publication, ""))).thenApply(ignored -> outcome);
        }
        expire(channel, state, now);
        if (StreamRules.offsetsUsedUp(channel, state.epoch, state.top)) {
            dropStream(channel, state);
        }
        boolean fresh = state.epoch == null;
        if (fresh) {
            state.epoch = nextEpoch(channel, state);
            state.top = 0;
            if (state.retiredNext != null) {
                state.retiredNext = null;
                retiredCount.decrementAndGet();
            }
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
                keyExpiresAt, () -> deliverPublication(channel, publication, epoch));
        return queue(state, write).thenApply(ignored -> new PublishOutcome(position, false));
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
        lifecycle.readLock().lock();
        try {
            checkOpen(failure);
            ChannelState state = channels.get(channel);
            if (state == null && streamStored(channel, failure)) {
                state = loadedState(channel, failure);
            }
            if (state != null) {
                settle(channel, state, failure, s -> {
                    long now = clock.millis();
                    expire(channel, s, now);
                    if (s.epoch != null && filter.metaTtl().isPositive()) {
                        long extended = expiry(now, filter.metaTtl());
                        if (extended > s.metaExpiresAt) {
                            s.metaExpiresAt = extended;
                            queue(s, new HistoryWrites.ExtendMetaWrite(channel, s.epoch, extended));
                        }
                    }
                });
            }
            return read(failure, reader -> readPage(reader, channel, filter));
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        deliveries.checkNotDelivering("removeHistory");
        String failure = "cannot remove the history of channel '" + channel + "'";
        lifecycle.readLock().lock();
        try {
            checkOpen(failure);
            if (channels.get(channel) == null && !streamStored(channel, failure)) {
                return;
            }
            settle(channel, loadedState(channel, failure), failure, s -> {
                if (s.epoch != null) {
                    dropStream(channel, s);
                }
            });
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Runs {@code change} under the state's lock (retrying with a fresh state if this one was dropped), then
     * waits until every write queued for the channel so far committed, so a read afterwards sees them.
     */
    private void settle(String channel, ChannelState state, String failure, Consumer<ChannelState> change) {
        ChannelState current = state;
        while (true) {
            boolean removed;
            CompletableFuture<?> last = null;
            current.lock.lock();
            try {
                removed = current.removed;
                if (!removed) {
                    current.lastUsed = clock.millis();
                    change.accept(current);
                    last = current.lastWrite;
                }
            } finally {
                current.lock.unlock();
            }
            if (removed) {
                current = loadedState(channel, failure);
                continue;
            }
            if (last != null) {
                await(last, failure, channel, current);
            }
            return;
        }
    }

    private HistoryPage readPage(Connection reader, String channel, HistoryFilter filter) throws SQLException {
        return SqliteTransactions.read(reader, () -> {
            StreamPosition position = storedPosition(reader, channel);
            if (position == null) {
                return new HistoryPage(List.of(), new StreamPosition(0, storedNextEpoch(reader, channel)));
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
                select.setLong(i++, clock.millis());
                if (filter.since() != null) {
                    select.setLong(i++, sortKey(filter.since().offset()));
                }
                select.setInt(i, filter.limit() < 0 ? -1 : filter.limit());
                List<Publication> publications = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        byte[] data = rows.getBytes(3);
                        PublicationMeta.Decoded meta = PublicationMeta.decode(rows.getBytes(4));
                        publications.add(new Publication(data == null ? new byte[0] : data, meta.info(),
                                offset(rows.getLong(1)), meta.tags(), rows.getLong(2)));
                    }
                }
                return new HistoryPage(publications, position);
            }
        });
    }

    private static StreamPosition storedPosition(Connection reader, String channel) throws SQLException {
        try (PreparedStatement select = reader.prepareStatement("SELECT epoch, top FROM streams WHERE channel = ?")) {
            select.setString(1, channel);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new StreamPosition(row.getLong(2), row.getString(1)) : null;
            }
        }
    }

    /** The epoch the channel's next stream gets, as the file says: its retired row, else the derived one. */
    private String storedNextEpoch(Connection reader, String channel) throws SQLException {
        String retired = storedRetired(reader, channel);
        return retired != null ? retired : Epochs.derived(seed.bytes(), channel);
    }

    private static String storedRetired(Connection reader, String channel) throws SQLException {
        try (PreparedStatement select = reader.prepareStatement("SELECT next_epoch FROM retired WHERE channel = ?")) {
            select.setString(1, channel);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private boolean streamStored(String channel, String failure) {
        return read(failure, reader -> storedPosition(reader, channel) != null);
    }

    // ---- channel state ------------------------------------------------------------------------------------

    /** The channel's cached state, loaded from the file if it was not cached. */
    private ChannelState loadedState(String channel, String failure) {
        while (true) {
            ChannelState state = channels.computeIfAbsent(channel, c -> new ChannelState());
            state.lock.lock();
            try {
                if (state.removed) {
                    continue;
                }
                if (!state.loaded) {
                    try {
                        read(failure, reader -> {
                            load(reader, channel, state);
                            return null;
                        });
                    } catch (RuntimeException e) {
                        state.removed = true;
                        channels.remove(channel, state);
                        throw e;
                    }
                    state.loaded = true;
                    state.lastUsed = clock.millis();
                }
                return state;
            } finally {
                state.lock.unlock();
            }
        }
    }

    private void load(Connection reader, String channel, ChannelState state) throws SQLException {
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
            state.retiredNext = storedRetired(reader, channel);
            state.retiredGeneration = seed.generation();
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT key, offset, epoch, expires_at FROM idempotency WHERE channel = ? AND expires_at > ?")) {
                select.setString(1, channel);
                select.setLong(2, clock.millis());
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

    /** Epoch of the channel's next stream: the one noted when it retired (under the current seed), else derived. */
    private String nextEpoch(String channel, ChannelState state) {
        Seed current = seed;
        if (state.retiredNext != null && state.retiredGeneration == current.generation()) {
            return state.retiredNext;
        }
        return Epochs.derived(current.bytes(), channel);
    }

    /** Drops the stream if its meta expired. Caller holds the state's lock. */
    private void expire(String channel, ChannelState state, long now) {
        if (state.epoch != null && state.metaExpiresAt <= now) {
            dropStream(channel, state);
        }
        state.idempotentResults.values().removeIf(result -> result.expiresAt() <= now);
    }

    /** Forgets the stream and its history and retires the channel with a fresh next epoch. Holds the lock. */
    private void dropStream(String channel, ChannelState state) {
        String dropped = state.epoch;
        String next = Epochs.randomOtherThan(dropped);
        state.epoch = null;
        state.top = 0;
        state.metaExpiresAt = NEVER;
        if (state.retiredNext == null) {
            retiredCount.incrementAndGet();
        }
        state.retiredNext = next;
        state.retiredGeneration = seed.generation();
        queue(state, new HistoryWrites.DropWrite(channel, dropped, next));
        if (retiredCount.get() > retiredLimit) {
            reseed();
        }
    }

    /**
     * Replaces the seed and forgets every retired channel, in one transaction queued after the drops so far:
     * every channel without a stream then reads with an epoch no stream ever had. Streams alive keep theirs.
     */
    private synchronized void reseed() {
        if (retiredCount.get() <= retiredLimit) {
            return;
        }
        log.info("{} channels retired their streams; new epochs for every channel without one", retiredCount.get());
        byte[] bytes = Epochs.newSeed();
        seed = new Seed(bytes, seed.generation() + 1);
        retiredCount.set(0);
        writes.submit(sql -> {
            sql.prepare("DELETE FROM retired").executeUpdate();
            PreparedStatement update = sql.prepare("UPDATE settings SET value = ? WHERE name = ?");
            update.setBytes(1, bytes);
            update.setString(2, SEED);
            update.executeUpdate();
            return null;
        });
    }

    private <R> CompletableFuture<R> queue(ChannelState state, GroupCommit.Write<R> write) {
        CompletableFuture<R> result = writes.submit(write);
        state.lastWrite = result;
        return result;
    }

    /**
     * Waits for a queued write. On failure the channel's cached state is dropped (it got ahead of the file) and
     * the next call reloads it; the writes queued after the failed one fail on their top check.
     */
    private <T> T await(CompletableFuture<T> pending, String failure, String channel, ChannelState state) {
        try {
            return pending.get();
        } catch (ExecutionException e) {
            forget(channel, state);
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw new SqliteBrokerException(SqliteFailures.describe(failure, file, sql), sql);
            }
            throw new SqliteBrokerException(failure + " (" + file + "): " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The write may still commit; the caller must treat it as not acknowledged.
            throw new SqliteBrokerException(failure + " (" + file + "): interrupted", e);
        }
    }

    private void forget(String channel, ChannelState state) {
        state.lock.lock();
        try {
            state.removed = true;
            channels.remove(channel, state);
        } finally {
            state.lock.unlock();
        }
    }

    // ---- delivery -----------------------------------------------------------------------------------------

    private void deliverPublication(String channel, Publication publication, String epoch) {
        deliver(channel, h -> h.handlePublication(channel, publication, epoch));
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
        lifecycle.readLock().lock();
        try {
            if (!closed) {
                sweep();
            }
        } catch (RuntimeException e) {
            log.error("Channel history sweep failed ({})", file, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** One bounded pass: expired history and keys, streams whose meta expired, idle cached channels. */
    void sweep() {
        long now = clock.millis();
        String failure = "cannot sweep expired channel history";
        CompletableFuture<Void> deleted = writes.submit(sql -> {
            PreparedStatement history = sql.prepare("DELETE FROM publications WHERE id IN "
                    + "(SELECT id FROM publications WHERE expires_at <= ? LIMIT " + SWEEP_BATCH + ")");
            history.setLong(1, now);
            history.executeUpdate();
            PreparedStatement keys = sql.prepare("DELETE FROM idempotency WHERE (channel, key) IN "
                    + "(SELECT channel, key FROM idempotency WHERE expires_at <= ? LIMIT " + SWEEP_BATCH + ")");
            keys.setLong(1, now);
            keys.executeUpdate();
            return null;
        });
        List<String> expiredStreams = read(failure, reader -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement select = reader.prepareStatement(
                    "SELECT channel FROM streams WHERE meta_expires_at <= ? LIMIT " + SWEEP_BATCH)) {
                select.setLong(1, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
            return names;
        });
        CompletableFuture<?> dropped = deleted;
        for (String channel : expiredStreams) {
            ChannelState state = loadedState(channel, failure);
            state.lock.lock();
            try {
                if (!state.removed) {
                    expire(channel, state, now);
                    if (state.lastWrite != null) {
                        dropped = state.lastWrite;
                    }
                }
            } finally {
                state.lock.unlock();
            }
        }
        // Writes commit in queue order: the last one queued here done means all of this pass is.
        dropped.join();
        for (Map.Entry<String, ChannelState> e : channels.entrySet()) {
            ChannelState state = e.getValue();
            if (!state.lock.tryLock()) {
                continue; // busy, so not idle
            }
            try {
                if (state.lastUsed <= now - idleMillis && (state.lastWrite == null || state.lastWrite.isDone())) {
                    state.removed = true;
                    channels.remove(e.getKey(), state);
                }
            } finally {
                state.lock.unlock();
            }
        }
    }

    // ---- inspection (tests) -------------------------------------------------------------------------------

    /** Channels with anything in the file (stream, history, idempotency results, retired epoch) or cached. */
    long storedChannelCount() {
        long inFile = read("cannot count channels", reader -> {
            try (Statement statement = reader.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM (SELECT channel FROM streams "
                         + "UNION SELECT channel FROM publications UNION SELECT channel FROM idempotency "
                         + "UNION SELECT channel FROM retired)")) {
                row.next();
                return row.getLong(1);
            }
        });
        return inFile + channels.size();
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    /** Waits for calls in flight, delivers what was committed, and closes the file. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sweeper.shutdownNow();
            // Writes nobody waits for (meta extensions, expiry drops) are queued too: let them commit first.
            writes.submit(sql -> null).join();
            writes.close();
            deliveries.close();
            connections.close();
            release(directoryLock);
            log.info("Channel history closed: {}", file);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteBroker[" + file + "]";
    }

    private <T> T read(String failure, SqliteConnections.SqlWork<T> work) {
        try {
            return connections.read(work);
        } catch (SQLException e) {
            throw new SqliteBrokerException(SqliteFailures.describe(failure, file, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqliteBrokerException(failure + " (" + file + "): interrupted", e);
        }
    }

    private void checkOpen(String failure) {
        if (closed) {
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


    /** One channel's cached state. Every field but {@code lock} is guarded by {@code lock}. */
    private static final class ChannelState {
        final ReentrantLock lock = new ReentrantLock();
        /** Set once this state left the map; holders must fetch a fresh one. */
        boolean removed;
        /** Whether the fields below were read from the file. */
        boolean loaded;
        /** Current epoch; {@code null} while there is no stream. */
        String epoch;
        /** Offset of the newest publication (unsigned); 0 for a new stream. */
        long top;
        long metaExpiresAt = NEVER;
        /** Epoch of the next stream, noted when one was dropped under seed generation {@link #retiredGeneration}. */
        String retiredNext;
        long retiredGeneration;
        final Map<String, IdempotentResult> idempotentResults = new HashMap<>();
        /** The last write queued for this channel: writes complete in queue order, so waiting for it waits for all. */
        CompletableFuture<?> lastWrite;
        /** Clock millis of the last call that used this state. */
        long lastUsed;
    }

}
