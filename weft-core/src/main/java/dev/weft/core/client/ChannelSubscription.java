package dev.weft.core.client;

import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.hub.EncodedPush;
import dev.weft.core.hub.Subscriber;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.FilterNode;
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
 * <p>It is also what the hub delivers to ({@link Subscriber}), handing each delivery to its session.
 *
 * <p>Mutable fields are guarded by the owning {@link ClientSession}'s lock.
 */
final class ChannelSubscription implements Subscriber {
    /** A subscriber that falls this far behind while subscribing is disconnected to recover later. */
    static final int MAX_BUFFERED = 10_000;

    private final ClientSession session;
    final String channel;
    final ChannelOptions options;
    final ClientInfo info;
    final boolean pushJoinLeave;
    final boolean serverSide;
    boolean subscribing = true;
    /** Set when the session drops it: a delivery racing with the removal is then skipped. */
    boolean removed;
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
    List<EncodedPush> buffer = new ArrayList<>();
    /** Only publications whose tags match are sent (subscribe {@code tf}); null sends all. Immutable. */
    FilterNode tagsFilter;
    /** Fossil delta compression negotiated: publications published for delta go as deltas against
     *  {@code deltaBase}, others whole. */
    boolean delta;
    /** The data of the last publication this subscriber got whole or rebuilt; null before the first. */
    byte[] deltaBase;

    ChannelSubscription(ClientSession session, String channel, ChannelOptions options, ClientInfo info,
                        boolean pushJoinLeave, boolean serverSide) {
        this.session = session;
        this.channel = channel;
        this.options = options;
        this.info = info;
        this.pushJoinLeave = pushJoinLeave;
        this.serverSide = serverSide;
    }

    @Override
    public void deliverPublication(Publication publication, String epoch, EncodedPush encoded) {
        session.deliverPublication(this, publication, epoch, encoded);
    }

    @Override
    public void deliverJoinLeave(EncodedPush encoded) {
        session.deliverJoinLeave(this, encoded);
    }
}
