package dev.weft.nats;

import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.nats.HistoryStream.Stored;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Takes one node's appends to a channel one at a time, in arrival order, and remembers the channel's last
 * message as this node appended it. Publishers of one channel on one node then never race each other on
 * {@code Nats-Expected-Last-Subject-Sequence}, and each append expects the sequence the previous one's
 * acknowledgement gave, without reading it back first: one round trip per publish instead of two. Only
 * publishers on other nodes can still win a race; the loser re-reads and retries.
 *
 * <p>Bounded: at most {@link #MAX_WAITING} publishes wait per channel (more fail at once), none waits past its
 * deadline, and the state of a channel nobody published into for a while is dropped by {@link #sweep}.
 * Thread-safe.
 */
final class ChannelAppenders {

    /** Publishes of one channel that may wait for the one in progress on this node. */
    static final int MAX_WAITING = 1024;

    private final ConcurrentHashMap<String, Appender> appenders = new ConcurrentHashMap<>();

    /** One channel's turn and what this node knows of its stream. Fields other than the lock need it held. */
    static final class Appender {
        private final ReentrantLock turn = new ReentrantLock(true);
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile long lastUsedNanos = System.nanoTime();
        private boolean retired;
        /** Whether {@link #last} is the channel's last message as of this node's latest append. */
        boolean known;
        /** With {@link #known}: the channel's last message (null: its subject is empty). */
        Stored last;

        /** What this node appended last; the next append expects it. */
        void appended(Stored stored) {
            known = true;
            last = stored;
        }

        /** The channel changed in a way this node did not see (or may have): read it before the next append. */
        void forget() {
            known = false;
            last = null;
        }
    }

    /**
     * Runs {@code append} holding the channel's turn.
     *
     * @throws BrokerUnavailableException when {@link #MAX_WAITING} publishes already wait, or the turn does not
     *                                    come before {@code deadlineNanos} ({@link System#nanoTime()})
     */
    <T> T inTurn(String channel, long deadlineNanos, Function<Appender, T> append) {
        while (true) {
            Appender appender = appenders.computeIfAbsent(channel, c -> new Appender());
            if (appender.waiting.incrementAndGet() > MAX_WAITING) {
                appender.waiting.decrementAndGet();
                throw new BrokerUnavailableException("publish into " + channel + " refused: " + MAX_WAITING
                        + " publishes of the channel already wait on this node", null);
            }
            try {
                if (!appender.turn.tryLock(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new BrokerUnavailableException("publish into " + channel
                            + " timed out behind the channel's earlier publishes", null);
                }
                try {
                    if (appender.retired) {
                        continue; // swept after we found it: the channel has a new one
                    }
                    appender.lastUsedNanos = System.nanoTime();
                    return append.apply(appender);
                } finally {
                    appender.turn.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NatsEngineException("interrupted while waiting to publish into " + channel, e);
            } finally {
                appender.waiting.decrementAndGet();
            }
        }
    }

    /** Drops the state of channels nobody published into for {@code idle}. */
    void sweep(Duration idle) {
        long now = System.nanoTime();
        appenders.forEach((channel, appender) -> {
            if (now - appender.lastUsedNanos > idle.toNanos() && appender.waiting.get() == 0
                    && appender.turn.tryLock()) {
                try {
                    if (appender.waiting.get() == 0) {
                        appender.retired = true;
                        appenders.remove(channel, appender);
                    }
                } finally {
                    appender.turn.unlock();
                }
            }
        });
    }

    /** Channels whose state is kept. */
    int size() {
        return appenders.size();
    }
}
