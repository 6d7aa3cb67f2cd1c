package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.StreamPosition;

/**
 * Moves publications, joins and leaves between nodes and keeps each channel's history stream.
 *
 * <p>Contract (checked by {@code BrokerContractTest}, which every implementation's test extends):
 * <ul>
 *   <li>A channel's stream has an epoch and a uint64 offset. The first publication into an empty stream gets
 *       offset 1; each publication with history gets the next offset. A publication without history
 *       ({@code historySize == 0} or {@code historyTtl} zero) is delivered with offset 0 and leaves the
 *       stream untouched.
 *   <li>Only a publication with history creates a stream. Reading a channel that has none ({@link #history},
 *       {@link #position}), subscribing to it or removing its history keeps nothing for it, so a client
 *       naming fresh channels cannot make the broker grow. Such a read answers offset 0 and an epoch that
 *       stays the same from read to read and is the epoch the channel's first publication gets, so a client
 *       positioned on the empty stream recovers that publication (Centrifugo answers an empty stream the same
 *       way, but creates its meta on the read).
 *   <li>The epoch changes whenever the broker can no longer vouch for the offsets it handed out (stream meta
 *       expired after {@code metaTtl} without publications, data lost, {@link #removeHistory}); an epoch a
 *       dropped stream had is never handed out again for that channel. A client holding an old epoch must
 *       never be told it recovered.
 *   <li>History keeps at most {@code historySize} newest publications, each for at most {@code historyTtl}.
 *       Expiry of history alone does not change the epoch or the offset.
 *   <li>Offsets are unsigned 64-bit numbers; compare them with {@link Long#compareUnsigned}.
 *   <li>Delivery to the {@link BrokerEventHandler} is in offset order per channel, and a publication is in
 *       history before it is delivered.
 *   <li>Publishing with an idempotency key already used on the channel within the key's TTL returns the
 *       first publish's position with {@code suppressed == true}, appends nothing and delivers nothing. This
 *       holds for publications without history too (their position is offset 0, epoch "").
 * </ul>
 *
 * <p>Implementations are thread-safe. Methods may block (network brokers do); callers never call them from
 * a network event loop.
 */
public interface Broker extends AutoCloseable {

    /** Sets where delivered publications, joins and leaves go; called once, before {@link #subscribe}. */
    void setEventHandler(BrokerEventHandler handler);

    /**
     * This node wants events of {@code channel} (called when its first local subscriber arrives). Everything
     * published into the channel after this method returns is delivered; nothing whose publish returned
     * before this method was called is.
     */
    void subscribe(String channel);

    /**
     * This node no longer wants events of {@code channel}: nothing published after this method returns is
     * delivered. History is not affected.
     */
    void unsubscribe(String channel);

    /**
     * Publishes into a channel, appending to its history as the options say. The publication is appended
     * whether or not any node subscribed to the channel.
     */
    PublishOutcome publish(String channel, byte[] data, PublishOptions options);

    /** Delivers a join to the channel's subscribers on every node. */
    void publishJoin(String channel, ClientInfo info);

    /** Delivers a leave to the channel's subscribers on every node. */
    void publishLeave(String channel, ClientInfo info);

    /**
     * Reads history; always returns the stream's current position — for a channel without a stream, offset 0
     * and the epoch its first publication will get, keeping nothing.
     */
    HistoryPage history(String channel, HistoryFilter filter);

    /**
     * Drops a channel's stream and history: its next stream gets a new epoch and its offsets restart at 1. A
     * channel without a stream is left as it is.
     */
    void removeHistory(String channel);

    /** Current position of a channel's stream; see {@link #history} for a channel without one. */
    default StreamPosition position(String channel) {
        return history(channel, HistoryFilter.POSITION_ONLY).position();
    }

    @Override
    default void close() {
    }

    /**
     * Why the broker cannot serve now, from what it last saw of its connections (never a blocking check: a
     * readiness probe calls it on an event loop); null while it can. A broker in this process always can.
     */
    default String unavailableReason() {
        return null;
    }
}
