package dev.weft.nats;

import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.broker.StreamRules;
import dev.weft.nats.HistoryStream.Head;
import dev.weft.nats.HistoryStream.Stored;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Broker} on NATS: a JetStream stream keeps every channel's history, core NATS fans publications,
 * joins and leaves out to the nodes that serve the channel.
 *
 * <ul>
 *   <li><b>History</b> ({@link HistoryStream}). One file-backed stream, {@code <PREFIX>_HISTORY}, over
 *       {@code <prefix>.h.>}; a channel's publications are the messages on {@code <prefix>.h.<channel token>}
 *       ({@link SubjectTokens}). Each
 *       message is an {@link Envelope} carrying the publication's offset and epoch, its expiry, the stream's
 *       meta expiry and history size, and {@code prevSeq}, the stream sequence of the channel's message it
 *       was appended after.
 *   <li><b>Offsets.</b> A JetStream sequence counts the whole stream, not a channel, so the channel offset is
 *       the last message's offset + 1, appended with {@code Nats-Expected-Last-Subject-Sequence} set to that
 *       message's sequence: JetStream refuses the append if any other publisher, on any node, appended to the
 *       channel in between, and the loser reads the new last message and tries again. Offsets are therefore
 *       contiguous (1, 2, 3 …) with no gaps or duplicates under any number of publishers. One node's publishes
 *       of a channel take turns ({@link ChannelAppenders}) and each expects the sequence the previous one's
 *       acknowledgement gave, so they never race each other and cost one round trip each; only a publish that
 *       follows another node's append reads the last message first (two round trips, plus one per lost race).
 *   <li><b>Epochs.</b> The last message of a channel's subject is its stream meta. An empty subject answers
 *       offset 0 and an epoch derived from the channel name and the history stream's creation time (so every
 *       node agrees without writing anything, and a stream recreated after data loss gives every channel a
 *       new epoch). {@link #removeHistory} appends a tombstone naming the next stream's random epoch, then
 *       purges what came before it; a stream whose meta TTL passed without publications answers the epoch
 *       derived from its last message, and its next publication purges the old one. An epoch is therefore
 *       never handed out again for a channel once its stream was dropped.
 *   <li><b>Trimming.</b> Sizes and TTLs differ per namespace while JetStream limits are stream-wide, so history
 *       is bounded by the publisher: reads return only the {@code historySize} newest unexpired publications of
 *       the current epoch, and every {@code historySize/4}-th publication purges the subject down to
 *       {@code historySize} messages (so a channel never holds more than 1.25 × its size).
 *   <li><b>Delivery.</b> After the append, the same envelope is published on {@code <prefix>.ch.<token>},
 *       which the nodes that serve the channel subscribe to. Two publishers may send their fan-out messages
 *       in a different order than their offsets, so each subscribed channel has a {@link Cursor} (epoch and
 *       last offset delivered): an older offset is dropped, the next one delivered, and one past a gap first
 *       fetches the missed publications from JetStream by following {@code prevSeq} back. The same catch-up
 *       runs for every subscribed channel when the connection comes back after an outage, so subscribers get
 *       what was published meanwhile, in order, without waiting for the next publication.
 *   <li><b>Failures.</b> Every call that needs NATS fails when it cannot be done —
 *       {@link dev.weft.core.broker.BrokerUnavailableException} while NATS is unreachable or slow,
 *       {@link NatsEngineException} when it refuses: a publish never reports success it did not get from
 *       JetStream (or, without history, from a flush of the connection).
 * </ul>
 *
 * <p>Bounded: fan-out messages wait in the dispatcher's pending queue, whose limits jnats enforces (it drops
 * and reports a slow consumer; the cursor then fetches what was dropped at the next publication). Reads walk
 * at most the channel's history size.
 */
public final class NatsBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(NatsBroker.class);

    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    /** The largest unsigned 64-bit offset. */
    private static final long MAX_OFFSET = -1L;

    private final Connection connection;
    private final HistoryStream stream;
    private final String prefix;
    private final Duration timeout;
    private final IdempotencyKeys idempotency;
    private final Dispatcher dispatcher;
    /** Subscribed channels by fan-out subject. */
    private final ConcurrentHashMap<String, Cursor> cursors = new ConcurrentHashMap<>();
    /** This node's publishes, one at a time per channel. */
    private final ChannelAppenders appenders = new ChannelAppenders();
    private final ExecutorService catchUp;
    /** Sweeps idle channels' state every {@link #SWEEP_INTERVAL}. */
    private final ScheduledExecutorService housekeeping;
    private volatile BrokerEventHandler handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();

    NatsBroker(Connection connection, String prefix, Duration timeout, IdempotencyKeys idempotency)
            throws IOException, JetStreamApiException {
        this.connection = connection;
        this.prefix = prefix;
        this.timeout = timeout;
        this.idempotency = idempotency;
        this.stream = new HistoryStream(connection, prefix, timeout);
        this.dispatcher = connection.createDispatcher(this::onMessage);
        this.catchUp = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("weft-nats-catch-up").factory());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-nats-housekeeping").factory());
        housekeeping.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Drops what this node keeps for channels nobody published into lately, and their expired history. */
    private void sweep() {
        try {
            appenders.sweep(SWEEP_INTERVAL);
            sweepIdleHistory(System.currentTimeMillis());
        } catch (RuntimeException e) {
            log.warn("NATS housekeeping failed: {}", e.toString());
        }
    }

    /**
     * Trims the history of channels nobody publishes into, which their publishers no longer trim: a channel
     * whose last publication expired keeps only that message (it holds the stream's offset and epoch); one
     * whose meta expired is ended by a tombstone naming the epoch readers are already told (the derived
     * successor), and everything before it is purged. So an idle channel holds one small message at most.
     * Tombstones stay, one per channel that ever published, so that no stream's epoch comes back. Every node
     * sweeps; appends with the expected last sequence make a tombstone lose to a concurrent publish.
     */
    void sweepIdleHistory(long now) {
        for (Map.Entry<String, Long> subject : stream.subjects().entrySet()) {
            String name = subject.getKey();
            Stored last = stream.lastOn(name, name);
            if (last == null) {
                continue;
            }
            Envelope envelope = last.envelope();
            if (envelope.kind() == Envelope.Kind.TOMBSTONE) {
                if (subject.getValue() > 1) {
                    stream.purgeBeforeOn(name, last.seq());
                }
            } else if (envelope.metaExpired(now)) {
                Envelope tombstone = Envelope.tombstone(HistoryStream.headOf(last, now).epoch());
                try {
                    stream.purgeBeforeOn(name, stream.appendIfLastOn(name, name, tombstone, last.seq()));
                } catch (HistoryStream.WrongLastSequence published) {
                    // someone published meanwhile: the channel is not idle
                }
            } else if (subject.getValue() > 1 && envelope.expiresAt() <= now) {
                stream.keepNewestOn(name, 1);
            }
        }
    }

    @Override
    public void setEventHandler(BrokerEventHandler handler) {
        this.handler = handler;
    }

    // ---- subscriptions -------------------------------------------------------------------------------------

    @Override
    public void subscribe(String channel) {
        String subject = fanOutSubject(channel);
        if (cursors.containsKey(subject)) {
            return;
        }
        // The position read first: whatever is published after it is either fanned out to the subscription
        // or fetched by the cursor when a later offset shows the gap.
        Stored last = stream.last(channel);
        Head head = stream.head(channel, last, System.currentTimeMillis());
        cursors.putIfAbsent(subject, new Cursor(channel, head.epoch(), head.offset()));
        dispatcher.subscribe(subject);
        flush();
    }

    @Override
    public void unsubscribe(String channel) {
        String subject = fanOutSubject(channel);
        if (cursors.remove(subject) == null) {
            return;
        }
        dispatcher.unsubscribe(subject);
        flush();
    }

    // ---- publishing ----------------------------------------------------------------------------------------

    @Override
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        requireConnected("publish into " + channel);
        IdempotencyKeys.Claim claim = null;
        if (!options.idempotencyKey().isEmpty()) {
            IdempotencyKeys.Outcome outcome =
                    idempotency.claim(channel, options.idempotencyKey(), options.idempotentResultTtl());
            if (outcome.previous() != null) {
                return new PublishOutcome(outcome.previous(), true);
            }
            claim = outcome.claim();
        }
        try {
            StreamPosition position;
            if (options.keepsHistory()) {
                position = append(channel, data, options);
            } else {
                Envelope envelope = new Envelope(Envelope.Kind.PUBLICATION, 0, "", 0, 0, 0, 0, options.info(),
                        options.tags(), data, options.delta());
                connection.publish(fanOutSubject(channel), envelope.encode());
                flush(); // without history nothing else tells us the server got it
                position = new StreamPosition(0, "");
            }
            if (claim != null) {
                idempotency.complete(claim, position);
            }
            return new PublishOutcome(position, false);
        } catch (RuntimeException e) {
            if (claim != null) {
                idempotency.release(claim);
            }
            throw e;
        }
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        publishPresenceEvent(channel, Envelope.presenceEvent(Envelope.Kind.JOIN, info));
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        publishPresenceEvent(channel, Envelope.presenceEvent(Envelope.Kind.LEAVE, info));
    }

    private void publishPresenceEvent(String channel, Envelope envelope) {
        requireConnected("deliver a join or leave in " + channel);
        connection.publish(fanOutSubject(channel), envelope.encode());
    }

    /**
     * Appends a publication to the channel's stream with optimistic concurrency, in the channel's turn on this
     * node ({@link ChannelAppenders}); returns its position.
     */
    private StreamPosition append(String channel, byte[] data, PublishOptions options) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return appenders.inTurn(channel, deadline, appender -> {
            try {
                return appendInTurn(channel, appender, data, options, deadline);
            } catch (RuntimeException e) {
                appender.forget(); // an append that timed out may have happened
                throw e;
            }
        });
    }

    private StreamPosition appendInTurn(String channel, ChannelAppenders.Appender appender, byte[] data,
                                        PublishOptions options, long deadline) {
        int races = 0;
        while (true) {
            long now = System.currentTimeMillis();
            Stored last;
            if (appender.known) {
                last = appender.last;
            } else {
                last = stream.last(channel);
                if (last == null) {
                    stream.refreshSeed(); // the first publication fixes the epoch: make sure it is today's stream's
                }
            }
            Head head = stream.head(channel, last, now);
            boolean newStream = head.offset() == 0 || head.offset() == MAX_OFFSET;
            String epoch = head.offset() == MAX_OFFSET ? Epochs.random(head.epoch()) : head.epoch();
            long offset = newStream ? 1 : head.offset() + 1;
            long prevSeq = last == null ? 0 : last.seq();
            long metaExpiresAt = options.historyMetaTtl().isPositive()
                    ? StreamRules.expiry(now, options.historyMetaTtl()) : 0;
            Envelope envelope = new Envelope(Envelope.Kind.PUBLICATION, offset, epoch, prevSeq,
                    StreamRules.expiry(now, options.historyTtl()), metaExpiresAt, options.historySize(), options.info(),
                    options.tags(), data, options.delta());
            long seq;
            try {
                seq = stream.appendIfLast(channel, envelope, prevSeq);
            } catch (HistoryStream.WrongLastSequence e) {
                // Another node appended (or the stream was purged or recreated): read what it is now.
                appender.forget();
                races++;
                if (System.nanoTime() > deadline) {
                    throw new NatsEngineException("publish into " + channel + " lost " + races
                            + " races with other nodes' publishers within " + timeout.toMillis() + " ms");
                }
                continue;
            }
            appender.appended(new Stored(seq, envelope));
            trim(channel, seq, newStream && last != null, offset, options.historySize());
            try {
                connection.publish(fanOutSubject(channel), envelope.encode());
            } catch (IllegalStateException e) {
                // Appended, so the publish succeeded; subscribers fetch it when they next hear of the channel.
                log.warn("Appended to {} but could not fan out ({}); subscribers catch up from history",
                        channel, e.getMessage());
            }
            return new StreamPosition(offset, epoch);
        }
    }

    /**
     * Drops what history no longer needs: everything before a new stream's first publication, or the oldest
     * publications beyond the history size (every size/4-th publication, to spare a round trip on the rest).
     */
    private void trim(String channel, long seq, boolean replacedOld, long offset, int historySize) {
        if (replacedOld) {
            stream.purgeBefore(channel, seq);
        } else if (Long.compareUnsigned(offset, historySize) > 0
                && Long.remainderUnsigned(offset, Math.max(1, historySize / 4)) == 0) {
            stream.keepNewest(channel, historySize);
        }
    }

    // ---- history -------------------------------------------------------------------------------------------

    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        Objects.requireNonNull(filter, "filter");
        long now = System.currentTimeMillis();
        Stored last = stream.last(channel);
        Head head = stream.head(channel, last, now);
        StreamPosition position = new StreamPosition(head.offset(), head.epoch());
        if (head.offset() == 0 || filter.limit() == 0) {
            return new HistoryPage(List.of(), position);
        }
        // Kept: the historySize newest offsets; wanted: those after (or, reversed, before) `since`.
        long oldestKept = Long.compareUnsigned(head.offset(), last.envelope().historySize()) > 0
                ? head.offset() - last.envelope().historySize() + 1 : 1;
        long low = oldestKept;
        long high = head.offset();
        if (filter.since() != null) {
            long since = filter.since().offset();
            if (filter.reverse()) {
                if (since == 0) {
                    return new HistoryPage(List.of(), position);
                }
                high = Long.compareUnsigned(since - 1, high) < 0 ? since - 1 : high;
            } else {
                if (Long.compareUnsigned(since, high) >= 0) {
                    return new HistoryPage(List.of(), position);
                }
                low = Long.compareUnsigned(since + 1, low) > 0 ? since + 1 : low;
            }
        }
        int limit = filter.limit() < 0 ? Integer.MAX_VALUE : filter.limit();
        long top = high;
        List<Publication> newestFirst = new ArrayList<>();
        stream.walkBack(last, head.epoch(), low, entry -> {
            long offset = entry.offset();
            if (Long.compareUnsigned(offset, top) <= 0 && entry.expiresAt() > now) {
                newestFirst.add(entry.publication());
            }
            // Reversed reads stop once they have enough; forward ones need the oldest, so walk to `low`.
            return !(filter.reverse() && newestFirst.size() >= limit);
        });
        if (filter.reverse()) {
            return new HistoryPage(newestFirst, position);
        }
        Collections.reverse(newestFirst);
        return new HistoryPage(newestFirst.subList(0, Math.min(limit, newestFirst.size())), position);
    }

    @Override
    public void removeHistory(String channel) {
        long deadline = System.nanoTime() + timeout.toNanos();
        appenders.inTurn(channel, deadline, appender -> {
            appender.forget();
            while (true) {
                Stored last = stream.last(channel);
                if (last == null || last.envelope().kind() == Envelope.Kind.TOMBSTONE) {
                    return null; // no stream: nothing to drop, and its next epoch stays what readers were told
                }
                Head head = stream.head(channel, last, System.currentTimeMillis());
                Envelope tombstone = Envelope.tombstone(Epochs.random(last.envelope().epoch(), head.epoch()));
                long seq;
                try {
                    seq = stream.appendIfLast(channel, tombstone, last.seq());
                } catch (HistoryStream.WrongLastSequence e) {
                    if (System.nanoTime() > deadline) {
                        throw new NatsEngineException("removing the history of " + channel + " kept losing races");
                    }
                    continue;
                }
                stream.purgeBefore(channel, seq); // the tombstone already ended the stream; reads ignore the rest
                return null;
            }
        });
    }

    // ---- delivery ------------------------------------------------------------------------------------------

    /** Called on the dispatcher's thread, one message at a time. */
    private void onMessage(Message message) {
        Cursor cursor = cursors.get(message.getSubject());
        if (cursor == null) {
            return; // unsubscribed while the message was on its way
        }
        Envelope envelope;
        try {
            envelope = Envelope.decode(message.getData());
        } catch (IllegalArgumentException e) {
            log.warn("Dropped an unreadable message on {}: {}", message.getSubject(), e.getMessage());
            return;
        }
        cursor.lock.lock();
        try {
            if (cursors.get(message.getSubject()) != cursor) {
                return;
            }
            switch (envelope.kind()) {
                case JOIN -> deliver(cursor.channel, h -> h.handleJoin(cursor.channel, envelope.info()));
                case LEAVE -> deliver(cursor.channel, h -> h.handleLeave(cursor.channel, envelope.info()));
                case PUBLICATION -> deliverInOrder(cursor, envelope);
                case TOMBSTONE -> { } // never fanned out
            }
        } catch (RuntimeException e) {
            log.warn("Delivery of a message on {} failed: {}", cursor.channel, e.toString());
        } finally {
            cursor.lock.unlock();
        }
    }

    /** Delivers a fanned-out publication after any it follows that this node missed. Holds the cursor's lock. */
    private void deliverInOrder(Cursor cursor, Envelope envelope) {
        if (envelope.offset() == 0) {
            deliver(cursor.channel,
                    h -> h.handlePublication(cursor.channel, envelope.publication(), "", envelope.delta()));
            return;
        }
        boolean sameEpoch = envelope.epoch().equals(cursor.epoch);
        if (sameEpoch && Long.compareUnsigned(envelope.offset(), cursor.offset) <= 0) {
            return; // already delivered, fetched when a later one showed the gap
        }
        long deliveredUpTo = sameEpoch ? cursor.offset : 0;
        if (Long.compareUnsigned(envelope.offset(), deliveredUpTo + 1) > 0 && envelope.prevSeq() != 0) {
            fill(cursor, envelope.prevSeq(), envelope.epoch(), deliveredUpTo);
        }
        deliverAndAdvance(cursor, envelope);
    }

    /**
     * Delivers, oldest first, the publications of {@code epoch} with offsets above {@code deliveredUpTo}
     * found by walking back from stream sequence {@code fromSeq}. Holds the cursor's lock.
     */
    private void fill(Cursor cursor, long fromSeq, String epoch, long deliveredUpTo) {
        Stored start = stream.bySeq(fromSeq);
        if (start == null) {
            return;
        }
        List<Envelope> missed = new ArrayList<>();
        stream.walkBack(start, epoch, deliveredUpTo + 1, entry -> {
            missed.add(entry);
            return true;
        });
        Collections.reverse(missed);
        for (Envelope entry : missed) {
            deliverAndAdvance(cursor, entry);
        }
    }

    private void deliverAndAdvance(Cursor cursor, Envelope envelope) {
        cursor.epoch = envelope.epoch();
        cursor.offset = envelope.offset();
        deliver(cursor.channel, h -> h.handlePublication(cursor.channel, envelope.publication(), envelope.epoch(),
                envelope.delta()));
    }

    /**
     * After the connection came back: jnats has resubscribed every subject; deliver to each subscribed channel
     * what was published while this node could not hear it.
     */
    void catchUpAll() {
        if (!catchUpQueued.compareAndSet(false, true)) {
            return; // one pass is already waiting and will see every channel: a flapping link queues nothing more
        }
        catchUp.execute(() -> {
            catchUpQueued.set(false);
            for (Cursor cursor : cursors.values()) {
                cursor.lock.lock();
                try {
                    if (cursors.get(fanOutSubject(cursor.channel)) != cursor) {
                        continue;
                    }
                    Stored last = stream.last(cursor.channel);
                    if (last != null && last.envelope().kind() == Envelope.Kind.PUBLICATION) {
                        deliverInOrder(cursor, last.envelope());
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not catch up on {} after reconnecting: {}", cursor.channel, e.toString());
                } finally {
                    cursor.lock.unlock();
                }
            }
        });
    }

    private void deliver(String channel, Consumer<BrokerEventHandler> call) {
        BrokerEventHandler h = handler;
        if (h == null) {
            return;
        }
        try {
            call.accept(h);
        } catch (RuntimeException e) {
            log.warn("Broker event handler failed for channel {}", channel, e);
        }
    }

    // ---- housekeeping --------------------------------------------------------------------------------------

    /** Number of channels with anything in the history stream (publications or a tombstone). */
    long storedChannels() {
        return stream.channelCount();
    }

    @Override
    public String unavailableReason() {
        Connection.Status status = connection.getStatus();
        return status == Connection.Status.CONNECTED ? null : "NATS connection is " + status;
    }

    private void requireConnected(String what) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new BrokerUnavailableException("cannot " + what + ": NATS connection is " + connection.getStatus(),
                    null);
        }
    }

    private void flush() {
        try {
            connection.flush(timeout);
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("NATS did not answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsEngineException("interrupted while waiting for NATS", e);
        }
    }

    /**
     * Stops delivery and closes the engine's connection (the presence manager on it stops working too): a
     * {@code Node} closes its broker when it shuts down, and that must not leave a connection behind.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        catchUp.shutdownNow();
        housekeeping.shutdownNow();
        cursors.clear();
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String fanOutSubject(String channel) {
        return prefix + ".ch." + SubjectTokens.token(channel);
    }


    /** What this node delivered of a subscribed channel. Fields are guarded by {@code lock}. */
    private static final class Cursor {
        final String channel;
        final ReentrantLock lock = new ReentrantLock();
        String epoch;
        long offset;

        Cursor(String channel, String epoch, long offset) {
            this.channel = channel;
            this.epoch = epoch;
            this.offset = offset;
        }
    }
}
