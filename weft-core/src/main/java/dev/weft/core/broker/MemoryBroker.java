package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link Broker} for a single node: streams, history and idempotency results live in this process's heap.
 *
 * <p>Per channel it keeps a stream (a random epoch and an unsigned 64-bit top offset), a history ring bounded
 * by {@code historySize} (oldest dropped first) and {@code historyTtl}, and the results of publishes made with
 * an idempotency key. Time is read from the {@link Clock} given to the constructor; every expiry is judged
 * against it, so tests can move time without sleeping.
 *
 * <ul>
 *   <li><b>Stream meta.</b> Created on the first publish with history or the first {@link #history} call.
 *       A publish sets its expiry to {@code now + historyMetaTtl} ({@link Duration#ZERO}: never); a history
 *       read with a positive {@code metaTtl} only ever extends it. Once expired the whole stream is gone —
 *       history included, since its offsets belong to an epoch nobody can vouch for any more — and the next
 *       access starts a new epoch at offset 0.
 *   <li><b>History.</b> Each entry expires {@code historyTtl} after its publish. Expired entries are never
 *       returned; they are dropped lazily on access and by the periodic sweep.
 *   <li><b>Idempotency.</b> A key is remembered per channel for {@code idempotentResultTtl}, whether or not
 *       the publish kept history, and survives {@link #removeHistory} (the first result stays the answer).
 *   <li><b>Delivery.</b> Synchronous: the {@link BrokerEventHandler} is called on the publishing thread while
 *       the channel's lock is held, after the publication was appended, so deliveries of one channel are
 *       serial and in offset order. Only channels this node {@link #subscribe subscribed} to are delivered;
 *       a publish into another channel still appends to its history. An exception thrown by the handler is
 *       logged and does not fail the publish.
 *   <li><b>Offsets</b> are unsigned: after {@code Long.MAX_VALUE} comes {@code Long.MIN_VALUE} (2<sup>63</sup>);
 *       compare them with {@link Long#compareUnsigned}. Should a stream ever reach 2<sup>64</sup>−1, the next
 *       publish starts a new epoch rather than wrap to 0.
 * </ul>
 *
 * <p>Memory is bounded by a sweep that runs every second on one daemon thread (stopped by {@link #close()}):
 * it drops expired history entries and idempotency results, and forgets channels that have nothing left —
 * no live stream meta, no history, no idempotency results. A stream whose meta never expires
 * ({@code historyMetaTtl} zero) is kept, as its epoch and offset must stay valid.
 *
 * <p>Thread-safe. {@link #channels} is a concurrent map; each {@link ChannelState}'s fields are guarded by
 * its own {@code lock}; {@link #subscribed} is a concurrent set; {@link #handler} is volatile. A state is
 * removed from the map only by the sweep, with its lock held and after marking it {@code removed}, so a
 * thread that fetched it just before retries with a fresh one. The handler runs with its channel's lock held:
 * it may call back into this broker for the same channel (the lock is reentrant), but calling it for another
 * channel, or waiting for a thread that does, can deadlock.
 */
public final class MemoryBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);

    /** How often expired data is swept away. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private static final char[] EPOCH_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int EPOCH_LENGTH = 8;
    /** The largest unsigned 64-bit offset. */
    private static final long MAX_OFFSET = -1L;
    private static final long NEVER = Long.MAX_VALUE;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private volatile BrokerEventHandler handler;

    /** A broker on the system clock. */
    public MemoryBroker() {
        this(Clock.systemUTC());
    }

    /** A broker that judges every expiry against {@code clock}. */
    public MemoryBroker(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-memory-broker-sweep").factory());
        long period = SWEEP_INTERVAL.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.MILLISECONDS);
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

    @Override
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        return withChannel(channel, state -> {
            long now = clock.millis();
            String key = options.idempotencyKey();
            if (!key.isEmpty()) {
                IdempotentResult previous = state.idempotentResults.get(key);
                if (previous != null && previous.expiresAt() > now) {
                    return new PublishOutcome(previous.position(), true);
                }
            }
            Publication publication;
            StreamPosition position;
            if (options.keepsHistory()) {
                state.expire(now);
                if (state.epoch != null && state.top == MAX_OFFSET) {
                    log.warn("Channel {} used up its 64-bit offsets; starting a new epoch", channel);
                    state.reset();
                }
                state.ensureStream(this::newEpoch);
                state.top++;
                publication = new Publication(data, options.info(), state.top, options.tags(), 0);
                state.history.addLast(new HistoryEntry(publication, expiry(now, options.historyTtl())));
                while (state.history.size() > options.historySize()) {
                    state.history.removeFirst();
                }
                state.metaExpiresAt = options.historyMetaTtl().isPositive()
                        ? expiry(now, options.historyMetaTtl()) : NEVER;
                position = new StreamPosition(state.top, state.epoch);
            } else {
                publication = new Publication(data, options.info(), 0, options.tags(), 0);
                position = new StreamPosition(0, "");
            }
            if (!key.isEmpty()) {
                state.idempotentResults.put(key,
                        new IdempotentResult(position, expiry(now, options.idempotentResultTtl())));
            }
            deliver(channel, h -> h.handlePublication(channel, publication, position.epoch()));
            return new PublishOutcome(position, false);
        });
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        if (subscribed.contains(channel)) {
            withChannel(channel, state -> {
                deliver(channel, h -> h.handleJoin(channel, info));
                return null;
            });
        }
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        if (subscribed.contains(channel)) {
            withChannel(channel, state -> {
                deliver(channel, h -> h.handleLeave(channel, info));
                return null;
            });
        }
    }

    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return withChannel(channel, state -> {
            long now = clock.millis();
            state.expire(now);
            state.ensureStream(this::newEpoch);
            if (filter.metaTtl().isPositive()) {
                state.metaExpiresAt = Math.max(state.metaExpiresAt, expiry(now, filter.metaTtl()));
            }
            StreamPosition position = new StreamPosition(state.top, state.epoch);
            if (filter.limit() == 0) {
                return new HistoryPage(List.of(), position);
            }
            return new HistoryPage(select(state.history, filter, now), position);
        });
    }

    @Override
    public void removeHistory(String channel) {
        withChannel(channel, state -> {
            state.reset();
            return null;
        });
    }

    /** Stops the sweep. The broker keeps working, but expired data is then only dropped when touched. */
    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** Drops expired data and forgets empty channels; runs periodically, callable directly from tests. */
    void sweep() {
        long now = clock.millis();
        for (Map.Entry<String, ChannelState> e : channels.entrySet()) {
            ChannelState state = e.getValue();
            if (!state.lock.tryLock()) {
                continue; // busy, so not idle: look again next time
            }
            try {
                state.sweep(now);
                if (state.isEmpty()) {
                    state.removed = true;
                    channels.remove(e.getKey(), state);
                }
            } finally {
                state.lock.unlock();
            }
        }
    }

    /** Number of channels with state in memory (for tests of the sweep). */
    int channelCount() {
        return channels.size();
    }

    /** Sets a channel's stream to {@code epoch} at {@code offset}, dropping its history (for tests). */
    void seedStream(String channel, String epoch, long offset) {
        withChannel(channel, state -> {
            state.reset();
            state.epoch = epoch;
            state.top = offset;
            return null;
        });
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("Memory broker sweep failed", e);
        }
    }

    /** Runs {@code action} with the channel's state locked, creating the state if needed. */
    private <T> T withChannel(String channel, Function<ChannelState, T> action) {
        Objects.requireNonNull(channel, "channel");
        while (true) {
            ChannelState state = channels.computeIfAbsent(channel, c -> new ChannelState());
            state.lock.lock();
            try {
                if (!state.removed) {
                    return action.apply(state);
                }
            } finally {
                state.lock.unlock();
            }
        }
    }

    /** Calls the handler if this node subscribed to the channel; the caller holds the channel's lock. */
    private void deliver(String channel, Consumer<BrokerEventHandler> call) {
        BrokerEventHandler h = handler;
        if (h == null || !subscribed.contains(channel)) {
            return;
        }
        try {
            call.accept(h);
        } catch (RuntimeException e) {
            log.warn("Broker event handler failed for channel {}", channel, e);
        }
    }

    private static List<Publication> select(ArrayDeque<HistoryEntry> history, HistoryFilter filter, long now) {
        List<Publication> out = new ArrayList<>();
        int limit = filter.limit() < 0 ? Integer.MAX_VALUE : filter.limit();
        Iterator<HistoryEntry> it = filter.reverse() ? history.descendingIterator() : history.iterator();
        while (it.hasNext() && out.size() < limit) {
            HistoryEntry entry = it.next();
            if (entry.expiresAt() <= now) {
                continue;
            }
            long offset = entry.publication().offset();
            if (filter.since() != null) {
                int cmp = Long.compareUnsigned(offset, filter.since().offset());
                if (filter.reverse() ? cmp >= 0 : cmp <= 0) {
                    continue;
                }
            }
            out.add(entry.publication());
        }
        return out;
    }

    private String newEpoch() {
        char[] chars = new char[EPOCH_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = EPOCH_ALPHABET[random.nextInt(EPOCH_ALPHABET.length)];
        }
        return new String(chars);
    }

    /** {@code now + ttl} in millis, saturating at {@link #NEVER}. */
    private static long expiry(long now, Duration ttl) {
        long millis;
        try {
            millis = Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return NEVER;
        }
        long at = now + millis;
        return at < now ? NEVER : at;
    }

    private record HistoryEntry(Publication publication, long expiresAt) {
    }

    private record IdempotentResult(StreamPosition position, long expiresAt) {
    }

    /** One channel's state. Every field but {@code lock} is guarded by {@code lock}. */
    private static final class ChannelState {
        final ReentrantLock lock = new ReentrantLock();
        /** Set once, by the sweep, when this state left the map; holders must fetch a fresh one. */
        boolean removed;
        /** Current epoch; {@code null} while there is no stream. */
        String epoch;
        /** Epoch of the previous stream, so a new one never repeats it. */
        String previousEpoch;
        /** Offset of the newest publication (unsigned); 0 for a new stream. */
        long top;
        /** When the stream meta expires, clock millis; {@link #NEVER} for never. */
        long metaExpiresAt = NEVER;
        /** Oldest first; offsets increase from head to tail. */
        final ArrayDeque<HistoryEntry> history = new ArrayDeque<>();
        final Map<String, IdempotentResult> idempotentResults = new HashMap<>();

        /** Drops the stream if its meta expired, and expired entries at the head of history. */
        void expire(long now) {
            if (epoch != null && metaExpiresAt <= now) {
                reset();
            }
            while (!history.isEmpty() && history.peekFirst().expiresAt() <= now) {
                history.removeFirst();
            }
        }

        void ensureStream(Supplier<String> epochs) {
            if (epoch == null) {
                String e = epochs.get();
                while (e.equals(previousEpoch)) {
                    e = epochs.get();
                }
                epoch = e;
                top = 0;
                metaExpiresAt = NEVER;
            }
        }

        /** Forgets the stream and its history; the next access starts a new epoch. */
        void reset() {
            if (epoch != null) {
                previousEpoch = epoch;
            }
            epoch = null;
            top = 0;
            metaExpiresAt = NEVER;
            history.clear();
        }

        void sweep(long now) {
            expire(now);
            history.removeIf(entry -> entry.expiresAt() <= now);
            idempotentResults.values().removeIf(result -> result.expiresAt() <= now);
        }

        boolean isEmpty() {
            return epoch == null && history.isEmpty() && idempotentResults.isEmpty();
        }
    }
}
