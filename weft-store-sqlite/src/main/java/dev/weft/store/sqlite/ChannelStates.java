package dev.weft.store.sqlite;

import dev.weft.core.broker.Epochs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static dev.weft.core.broker.StreamRules.NEVER;

/**
 * {@link SqliteBroker}'s channel states and epochs: what a publish must know at once about each channel, cached
 * from the file on first use ({@link ChannelState}); the writes that move a stream on, queued on the
 * {@link GroupCommit} in the order they were decided; the seed epochs derive from and the retired channels that
 * replace it; and the sweep that drops what expired.
 *
 * <p>Thread-safe: {@link #channels} is a concurrent map and each state's fields are guarded by its lock; the
 * seed is replaced under {@code this}.
 */
final class ChannelStates {

    private static final Logger log = LoggerFactory.getLogger(ChannelStates.class);

    private final Path file;
    private final Clock clock;
    private final int retiredLimit;
    /** A cached channel unused for this long, with nothing queued, is forgotten by the sweep. */
    private final long idleMillis;
    private final SqliteConnections connections;
    private final GroupCommit writes;
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final AtomicLong retiredCount;
    /** Current seed and its generation (bumped by every reseed); replaced together under {@code this}. */
    private volatile Seed seed;

    private record Seed(byte[] bytes, long generation) {
    }

    ChannelStates(Path file, Clock clock, int retiredLimit, long idleMillis, SqliteConnections connections,
                  GroupCommit writes, byte[] seed, long retired) {
        this.file = file;
        this.clock = clock;
        this.retiredLimit = retiredLimit;
        this.idleMillis = idleMillis;
        this.connections = connections;
        this.writes = writes;
        this.seed = new Seed(seed, 0);
        this.retiredCount = new AtomicLong(retired);
    }

    /** The seed a channel without a stream derives its epoch from. */
    byte[] seed() {
        return seed.bytes();
    }

    /** The channel's state if it is cached, else null. */
    ChannelState cached(String channel) {
        return channels.get(channel);
    }

    int cachedCount() {
        return channels.size();
    }

    /** Whether the file holds a stream for the channel. */
    boolean streamStored(String channel, String failure) {
        return read(failure, reader -> StoredHistory.position(reader, channel) != null);
    }

    /** Runs {@code work} on a reader connection, failures described with {@code failure} and the file. */
    <T> T read(String failure, SqliteConnections.SqlWork<T> work) {
        try {
            return connections.read(work);
        } catch (SQLException e) {
            throw new SqliteBrokerException(SqliteFailures.describe(failure, file, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqliteBrokerException(failure + " (" + file + "): interrupted", e);
        }
    }

    /** The channel's cached state, loaded from the file if it was not cached. */
    ChannelState loaded(String channel, String failure) {
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
                            StoredHistory.load(reader, channel, state, clock.millis(), seed.generation());
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

    /**
     * Runs {@code change} under the state's lock (retrying with a fresh state if this one was dropped), then
     * waits until every write queued for the channel so far committed, so a read afterwards sees them.
     */
    void settle(String channel, ChannelState state, String failure, Consumer<ChannelState> change) {
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
                current = loaded(channel, failure);
                continue;
            }
            if (last != null) {
                await(last, failure, channel, current);
            }
            return;
        }
    }

    /** Gives the channel a new stream at offset 0, with the epoch its next stream gets. Holds the lock. */
    void startStream(String channel, ChannelState state) {
        Seed current = seed;
        boolean retired = state.retiredNext != null && state.retiredGeneration == current.generation();
        state.epoch = retired ? state.retiredNext : Epochs.derived(current.bytes(), channel);
        state.top = 0;
        if (state.retiredNext != null) {
            state.retiredNext = null;
            retiredCount.decrementAndGet();
        }
    }

    /** Drops the stream if its meta expired, and forgets expired idempotency results. Holds the lock. */
    void expire(String channel, ChannelState state, long now) {
        if (state.epoch != null && state.metaExpiresAt <= now) {
            dropStream(channel, state);
        }
        state.idempotentResults.values().removeIf(result -> result.expiresAt() <= now);
    }

    /** Forgets the stream and its history and retires the channel with a fresh next epoch. Holds the lock. */
    void dropStream(String channel, ChannelState state) {
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
            update.setString(2, BrokerSchema.SEED_SETTING);
            update.executeUpdate();
            return null;
        });
    }

    /** Queues a write of the channel; the caller holds the state's lock, so writes keep the order decided. */
    <R> CompletableFuture<R> queue(ChannelState state, GroupCommit.Write<R> write) {
        CompletableFuture<R> result = writes.submit(write);
        state.lastWrite = result;
        return result;
    }

    /**
     * Waits for a queued write. On failure the channel's cached state is dropped (it got ahead of the file) and
     * the next call reloads it; the writes queued after the failed one fail on their top check.
     */
    <T> T await(CompletableFuture<T> pending, String failure, String channel, ChannelState state) {
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

    /**
     * One bounded pass: at most {@code batch} expired history entries and idempotency results deleted, as many
     * streams whose meta expired dropped, then idle cached channels with nothing queued forgotten.
     */
    void sweep(int batch) {
        long now = clock.millis();
        String failure = "cannot sweep expired channel history";
        CompletableFuture<Void> deleted = writes.submit(sql -> {
            PreparedStatement history = sql.prepare("DELETE FROM publications WHERE id IN "
                    + "(SELECT id FROM publications WHERE expires_at <= ? LIMIT " + batch + ")");
            history.setLong(1, now);
            history.executeUpdate();
            PreparedStatement keys = sql.prepare("DELETE FROM idempotency WHERE (channel, key) IN "
                    + "(SELECT channel, key FROM idempotency WHERE expires_at <= ? LIMIT " + batch + ")");
            keys.setLong(1, now);
            keys.executeUpdate();
            return null;
        });
        List<String> expiredStreams = read(failure, reader -> StoredHistory.expiredStreams(reader, now, batch));
        CompletableFuture<?> dropped = deleted;
        for (String channel : expiredStreams) {
            ChannelState state = loaded(channel, failure);
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
}
