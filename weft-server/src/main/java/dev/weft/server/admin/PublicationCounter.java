package dev.weft.server.admin;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts publications on their way through a {@link Broker}: {@link #wrap} returns the broker with a
 * counter in front of {@code publish} and of the delivery handler, changing nothing else.
 * Thread-safe (two {@link LongAdder}s).
 */
public final class PublicationCounter implements ThroughputSource {
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();

    @Override
    public long published() {
        return published.sum();
    }

    @Override
    public long delivered() {
        return delivered.sum();
    }

    /** {@code broker}, counted; closing the result closes {@code broker}. */
    public Broker wrap(Broker broker) {
        return new Broker() {
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
        };
    }
}
