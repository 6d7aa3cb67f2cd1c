package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;

/**
 * Receives what a {@link Broker} delivers for channels this node subscribed to. Calls for one channel come
 * in order, never concurrently; calls for different channels may be concurrent. Implementations must not
 * block.
 */
public interface BrokerEventHandler {

    /**
     * A publication; {@code epoch} is the stream epoch its offset belongs to ("" without history);
     * {@code delta} is the publisher's {@link PublishOptions#delta} flag, which travels with the publication
     * through every broker. The publication's own {@link Publication#delta} is false: its data is whole.
     */
    void handlePublication(String channel, Publication publication, String epoch, boolean delta);

    void handleJoin(String channel, ClientInfo info);

    void handleLeave(String channel, ClientInfo info);
}
