package dev.weft.core.channel;

/**
 * Who may do what in a channel, from its namespace options — Centrifugo's rules: {@code *_for_client}
 * lets any authenticated connection, anonymous ones ("" user) additionally need {@code *_for_anonymous},
 * and {@code *_for_subscriber} lets connections already subscribed to the channel. Insecure mode allows
 * everything.
 *
 * <p>Pure functions; thread-safe.
 */
public final class Permissions {
    private Permissions() {
    }

    public static boolean maySubscribe(ChannelOptions o, boolean anonymous) {
        return o.allowSubscribeForClient() && (!anonymous || o.allowSubscribeForAnonymous());
    }

    public static boolean mayPublish(ChannelOptions o, boolean anonymous, boolean subscribed) {
        return (o.allowPublishForSubscriber() && subscribed)
                || (o.allowPublishForClient() && (!anonymous || o.allowPublishForAnonymous()));
    }

    public static boolean mayReadHistory(ChannelOptions o, boolean anonymous, boolean subscribed) {
        return (o.allowHistoryForSubscriber() && subscribed)
                || (o.allowHistoryForClient() && (!anonymous || o.allowHistoryForAnonymous()));
    }

    public static boolean mayReadPresence(ChannelOptions o, boolean anonymous, boolean subscribed) {
        return (o.allowPresenceForSubscriber() && subscribed)
                || (o.allowPresenceForClient() && (!anonymous || o.allowPresenceForAnonymous()));
    }
}
