package dev.weft.core.client;

import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection's subscription to one channel. While {@code subscribing}, live publications are buffered
 * (bounded) so none is lost or duplicated at the seam between the subscribe reply (with its recovered
 * publications) and live delivery. A {@code positioned} subscription tracks the last offset delivered and
 * refuses gaps.
 *
 * <p>Not thread-safe: every field is guarded by the owning {@link ClientSession}'s lock.
 */
final class ChannelSubscription {
    /** A subscriber that falls this far behind while subscribing is disconnected to recover later. */
    static final int MAX_BUFFERED = 10_000;

    final String channel;
    final ChannelOptions options;
    final ClientInfo info;
    final boolean pushJoinLeave;
    final boolean serverSide;
    boolean subscribing = true;
    boolean positioned;
    String epoch = "";
    long lastOffset;
    /** When the subscription token expires (Unix seconds); 0 = never. */
    long expireAt;
    /** Whether a subscription token granted it (revocation applies); its {@code jti} and {@code iat}. */
    boolean tokenBound;
    String tokenJti = "";
    long tokenIssuedAt;
    /** Fires {@code expired_sub_close_delay} after {@code expireAt} unless refreshed; null when none. */
    ScheduledFuture<?> expiryTimer;
    List<Publication> buffer = new ArrayList<>();

    ChannelSubscription(String channel, ChannelOptions options, ClientInfo info, boolean pushJoinLeave,
                        boolean serverSide) {
        this.channel = channel;
        this.options = options;
        this.info = info;
        this.pushJoinLeave = pushJoinLeave;
        this.serverSide = serverSide;
    }
}
