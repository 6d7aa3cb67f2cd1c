package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

import static dev.weft.core.broker.StreamRules.NEVER;
import static dev.weft.core.broker.StreamRules.expiry;

/**
 * A {@link Broker} for a single node: streams, history and idempotency results live in this process's heap.
 *
 * <p>Per channel it keeps a stream (a random epoch and an unsigned 64-bit top offset), a history ring bounded
 * by {@code historySize} (oldest dropped first) and {@code historyTtl}, and the results of publishes made with
 * an idempotency key. Time is read from the {@link Clock} given to the constructor; every expiry is judged
 * against it, so tests can move time without sleeping.
 *
 * <ul>
 *   <li><b>Stream meta.</b> Created by the first publish with history, never by a read: reading a channel
 *       that has no stream keeps nothing, so subscribing to fresh channel names cannot grow the heap. Such a
 *       read answers offset 0 and the epoch the first publication will get — derived from the channel name
 *       and a per-broker secret seed, or, for a channel whose stream was dropped, the fresh epoch noted for
 *       its next stream ("retired" channels). A publish sets the meta's expiry to {@code now + historyMetaTtl}
 *       ({@link Duration#ZERO}: never); a history read with a positive {@code metaTtl} only ever extends it.
 *       Once expired the whole stream is gone — history included, since its offsets belong to an epoch nobody
 *       can vouch for any more — and the channel reads as empty with a new epoch.
 *   <li><b>Retired channels.</b> A dropped stream (meta expired, {@link #removeHistory}, offsets used up)
 *       leaves only its channel's next epoch, so its old epoch is never handed out again. At most
 *       {@code retiredLimit} are kept: beyond that the seed is replaced and the list cleared, which gives every
 *       channel without a stream a new epoch (a client positioned on such a channel is told it could not
 *       recover, never that it did).
 *   <li><b>History.</b> Each entry expires {@code historyTtl} after its publish. Expired entries are never
 *       returned; they are dropped lazily on access and by the periodic sweep.
 *   <li><b>Idempotency.</b> A key is remembered per channel for {@code idempotentResultTtl}, whether or not
 *       the publish kept history, and survives {@link #removeHistory} (the first result stays the answer).
 *   <li><b>Delivery.</b> Synchronous: the {@link BrokerEventHandler} is called on the publishing thread while
 *       the channel's lock is held, after the publication was appended, so publications of one channel are
 *       delivered serially and in offset order; a join or leave goes under the same lock when the channel
 *       has state, else (nothing to order it with) straight to the handler. Only channels this node
 *       {@link #subscribe subscribed} to are delivered; a publish into another channel still appends to its
 *       history. An exception thrown by the handler is logged and does not fail the publish.
 *   <li><b>Offsets</b> are unsigned: after {@code Long.MAX_VALUE} comes {@code Long.MIN_VALUE} (2<sup>63</sup>);
 *       compare them with {@link Long#compareUnsigned}. Should a stream ever reach 2<sup>64</sup>−1, the next
 *       publish starts a new epoch rather than wrap to 0.
 * </ul>
 *
 * <p>Memory is bounded by a sweep that runs every second on one daemon thread (stopped by {@link #close()}):
 * it drops expired history entries and idempotency results, and forgets channels that have nothing left —
 * no live stream meta, no history, no idempotency results. A stream whose meta never expires
 * ({@code historyMetaTtl} zero) is kept, as its epoch and offset must stay valid. Reads, subscribes, joins
 * and leaves leave nothing behind.
 *
 * <p>Thread-safe. {@link #channels} is a concurrent map; each {@link ChannelState}'s fields are guarded by
 * its own {@code lock}; {@link #subscribed} is a concurrent set; {@link #handler} is volatile. {@link #retired}
 * is a concurrent map whose entries are put and taken under their channel's lock and read without it, and
 * {@link #seed} is volatile; both are replaced wholesale by the reseed (under {@code this}): a read racing with
 * a publish or a reseed answers an epoch that is either still right or never used, so it can cost a client a
 * recovery but never give it a wrong one. A state is removed from the map only by the sweep, with its lock
 * held and after marking it {@code removed}, so a thread that fetched it just before retries with a fresh
 * one. The handler runs with its channel's lock held:
 * it may call back into this broker for the same channel (the lock is reentrant), but calling it for another
 * channel, or waiting for a thread that does, can deadlock.
 */
public final class MemoryBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);

    /** How often expired data is swept away. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    /** The largest unsigned 64-bit offset. */
    /** Retired channels kept before the seed is replaced (about 100 bytes each). */
    static final int RETIRED_LIMIT = 100_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    /** Channel → epoch of its next stream, for channels whose stream was dropped under the current seed. */
    private final ConcurrentHashMap<String, String> retired = new ConcurrentHashMap<>();
    private final int retiredLimit;
    /** Secret from which the epoch of a channel that never had a stream (under this seed) is derived. */
    private volatile byte[] seed;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private volatile BrokerEventHandler handler;

    /** A broker on the system clock. */
    public MemoryBroker() {
        this(Clock.systemUTC());
    }

    /** A broker that judges every expiry against {@code clock}. */
    public MemoryBroker(Clock clock) {
        this(clock, RETIRED_LIMIT);
    }

    /** As {@link #MemoryBroker(Clock)}, replacing the seed once more than {@code retiredLimit} channels retired. */
    MemoryBroker(Clock clock, int retiredLimit) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retiredLimit = retiredLimit;
        this.seed = Epochs.newSeed();
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
            PublishOutcome replayed = IdempotentResult.replay(state.idempotentResults, key, now);
            if (replayed != null) {
                return replayed;
            }
            Publication publication;
            StreamPosition position;
            if (options.keepsHistory()) {
                expire(channel, state, now);
                if (StreamRules.offsetsUsedUp(channel, state.epoch, state.top)) {
                    dropStream(channel, state);
                }
                if (state.epoch == null) {
                    startStream(channel, state);
                }
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
            deliver(channel, h -> h.handlePublication(channel, publication, position.epoch(), options.delta()));
            return new PublishOutcome(position, false);
        });
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        deliverPresenceEvent(channel, h -> h.handleJoin(channel, info));
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        deliverPresenceEvent(channel, h -> h.handleLeave(channel, info));
    }

    /**
     * Delivers a join or leave in line with the channel's publications (under its lock) when it has state;
     * a channel without any is not given some just for this.
     */
    private void deliverPresenceEvent(String channel, Consumer<BrokerEventHandler> call) {
        if (!subscribed.contains(channel)) {
            return;
        }
        Boolean delivered = withExistingChannel(channel, state -> {
            deliver(channel, call);
            return Boolean.TRUE;
        });
        if (delivered == null) {
            deliver(channel, call);
        }
    }

    /** Reads a channel's history; a channel without a stream is answered without keeping anything. */
    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        HistoryPage page = withExistingChannel(channel, state -> {
            long now = clock.millis();
            expire(channel, state, now);
            if (state.epoch == null) {
                return null;
            }
            if (filter.metaTtl().isPositive()) {
                state.metaExpiresAt = Math.max(state.metaExpiresAt, expiry(now, filter.metaTtl()));
            }
            StreamPosition position = new StreamPosition(state.top, state.epoch);
            if (filter.limit() == 0) {
                return new HistoryPage(List.of(), position);
            }
            return new HistoryPage(select(state.history, filter, now), position);
        });
        return page != null ? page : new HistoryPage(List.of(), new StreamPosition(0, nextEpoch(channel)));
    }

    /** Drops the channel's stream; a channel without one has nothing to drop and keeps its next epoch. */
    @Override
    public void removeHistory(String channel) {
        withExistingChannel(channel, state -> {
            if (state.epoch != null) {
                dropStream(channel, state);
            }
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
                expire(e.getKey(), state, now);
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

    /**
     * Number of channels with state in memory: streams, history or idempotency results not yet swept. Retired
     * channels are counted by {@link #retiredCount()}.
     */
    public int channelCount() {
        return channels.size();
    }

    /** Number of retired channels: dropped streams whose next epoch is remembered (at most the limit, +1). */
    public int retiredCount() {
        return retired.size();
    }

    /** Sets a channel's stream to {@code epoch} at {@code offset}, dropping its history (for tests). */
    void seedStream(String channel, String epoch, long offset) {
        withChannel(channel, state -> {
            state.history.clear();
            state.epoch = epoch;
            state.top = offset;
            state.metaExpiresAt = NEVER;
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
        return locked(channel, c -> channels.computeIfAbsent(c, k -> new ChannelState()), action);
    }

    /**
     * Runs {@code action} with the channel's state locked if the channel has state; null, creating nothing,
     * when it has none.
     */
    private <T> T withExistingChannel(String channel, Function<ChannelState, T> action) {
        return locked(channel, channels::get, action);
    }

    /** Locks the state {@code find} gives, again if the sweep removed it meanwhile; null when it gives none. */
    private <T> T locked(String channel, Function<String, ChannelState> find, Function<ChannelState, T> action) {
        Objects.requireNonNull(channel, "channel");
        while (true) {
            ChannelState state = find.apply(channel);
            if (state == null) {
                return null;
            }
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

    /** Drops the stream if its meta expired. Caller holds the state's lock. */
    private void expire(String channel, ChannelState state, long now) {
        if (state.epoch != null && state.metaExpiresAt <= now) {
            dropStream(channel, state);
        }
        state.expireHistory(now);
    }

    /** Starts the channel's stream with the epoch readers of the empty channel were told. Holds the lock. */
    private void startStream(String channel, ChannelState state) {
        String retiredNext = retired.remove(channel);
        state.epoch = retiredNext != null ? retiredNext : Epochs.derived(seed, channel);
        state.top = 0;
        state.metaExpiresAt = NEVER;
    }

    /**
     * Forgets the stream and its history and retires the channel: its next stream gets a fresh epoch, never
     * the dropped one (nor, since the channel's first stream under this seed had the derived one, that).
     * Caller holds the state's lock.
     */
    private void dropStream(String channel, ChannelState state) {
        String dropped = state.epoch;
        state.epoch = null;
        state.top = 0;
        state.metaExpiresAt = NEVER;
        state.history.clear();
        String next = Epochs.randomOtherThan(dropped);
        retired.put(channel, next);
        if (retired.size() > retiredLimit) {
            reseed();
        }
    }

    /**
     * Replaces the seed and forgets the retired channels: every channel without a stream then reads with an
     * epoch no stream ever had. Streams alive keep theirs.
     */
    private synchronized void reseed() {
        if (retired.size() <= retiredLimit) {
            return;
        }
        log.info("{} channels retired their streams; new epochs for every channel without one", retired.size());
        seed = Epochs.newSeed();
        retired.clear();
    }

    /** Epoch of the channel's next stream: the one noted when it retired, else derived from the seed. */
    private String nextEpoch(String channel) {
        String retiredNext = retired.get(channel);
        return retiredNext != null ? retiredNext : Epochs.derived(seed, channel);
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


    private record HistoryEntry(Publication publication, long expiresAt) {
    }


    /** One channel's state. Every field but {@code lock} is guarded by {@code lock}. */
    private static final class ChannelState {
        final ReentrantLock lock = new ReentrantLock();
        /** Set once, by the sweep, when this state left the map; holders must fetch a fresh one. */
        boolean removed;
        /** Current epoch; {@code null} while there is no stream. */
        String epoch;
        /** Offset of the newest publication (unsigned); 0 for a new stream. */
        long top;
        /** When the stream meta expires, clock millis; {@link StreamRules#NEVER} for never. */
        long metaExpiresAt = NEVER;
        /** Oldest first; offsets increase from head to tail. */
        final ArrayDeque<HistoryEntry> history = new ArrayDeque<>();
        final Map<String, IdempotentResult> idempotentResults = new HashMap<>();

        /** Drops expired entries at the head of history. */
        void expireHistory(long now) {
            while (!history.isEmpty() && history.peekFirst().expiresAt() <= now) {
                history.removeFirst();
            }
        }

        void sweep(long now) {
            history.removeIf(entry -> entry.expiresAt() <= now);
            idempotentResults.values().removeIf(result -> result.expiresAt() <= now);
        }

        boolean isEmpty() {
            return epoch == null && history.isEmpty() && idempotentResults.isEmpty();
        }
    }
}
