package dev.weft.core.hub;

import dev.weft.protocol.model.Publication;

/**
 * One connection's subscription to one channel, as the hub holds it: the hub delivers straight to it, so a
 * delivery needs no lookup of the channel in the connection's subscriptions.
 *
 * <p>Implementations must be thread-safe and never block: the hub calls them from broker threads.
 * Identity is the subscription: subscribing again after an unsubscribe makes a new subscriber.
 */
public interface Subscriber {

    void deliverPublication(Publication publication, String epoch, EncodedPush encoded);

    /** A join or leave push; implementations send it only where the subscription asked for them. */
    void deliverJoinLeave(EncodedPush encoded);
}
