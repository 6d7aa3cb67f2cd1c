package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Broker} that counts the publications passing through the broker it wraps: those published
 * through it and those the broker delivered to its event handler (this node's subscribers). Everything else
 * is passed on unchanged; closing it closes the wrapped broker. What an operator's throughput chart reads.
 *
 * <p>Thread-safe (two {@link LongAdder}s; the wrapped broker's own guarantees otherwise).
 */
public final class CountingBroker implements Broker {
    private final Broker broker;
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();

    public CountingBroker(Broker broker) {
        this.broker = broker;
    }

    /** Publications accepted by {@link #publish} so far (suppressed idempotent repeats included). */
    public long published() {
        return published.sum();
    }

    /** Publications the wrapped broker has delivered to the event handler so far. */
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public void setEventHandler(BrokerEventHandler handler) {
        broker.setEventHandler(new BrokerEventHandler() {
            @Override
            public void handlePublication(String channel, Publication publication, String epoch) {
                delivered.increment();
                handler.handlePublication(channel, publication, epoch);
            }

            @Override
            public void handleJoin(String channel, ClientInfo info) {
                handler.handleJoin(channel, info);
            }

            @Override
            public void handleLeave(String channel, ClientInfo info) {
                handler.handleLeave(channel, info);
            }
        });
    }

    @Override
    public void subscribe(String channel) {
        broker.subscribe(channel);
    }

    @Override
    public void unsubscribe(String channel) {
        broker.unsubscribe(channel);
    }

    @Override
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        PublishOutcome outcome = broker.publish(channel, data, options);
        published.increment();
        return outcome;
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        broker.publishJoin(channel, info);
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        broker.publishLeave(channel, info);
    }

    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        return broker.history(channel, filter);
    }

    @Override
    public void removeHistory(String channel) {
        broker.removeHistory(channel);
    }

    @Override
    public StreamPosition position(String channel) {
        return broker.position(channel);
    }

    @Override
    public void close() {
        broker.close();
    }
}
