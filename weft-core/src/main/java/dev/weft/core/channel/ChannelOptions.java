package dev.weft.core.channel;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Per-namespace channel behaviour, named as in Centrifugo v6's channel options. Defaults (all off, no
 * history) are Centrifugo's: a channel is a pure fan-out until configured otherwise.
 *
 * @param presence               keep presence for subscribers
 * @param joinLeave              publish join/leave events (sent to subscribers that ask for them)
 * @param forcePushJoinLeave     send join/leave to every subscriber, asked or not
 * @param historySize            publications kept per channel (0 = no history)
 * @param historyTtl             how long a publication is kept
 * @param historyMetaTtl         how long stream epoch/offset survive without publications (0 = node default)
 * @param forceRecovery          recover missed publications for every subscriber, asked or not
 * @param channelRegex           channel names (after the namespace) must match this, when set
 * @param allowFossilDelta       subscribers may ask for Fossil delta compression ({@code allowed_delta_types})
 * @param allowTagsFilter        subscribers may filter publications by their tags ({@code allow_tags_filter})
 * @param deltaPublish           every publication asks for delta compression, as the API's {@code delta} flag
 *                               does for one ({@code delta_publish})
 */
public record ChannelOptions(
        boolean presence,
        boolean joinLeave,
        boolean forcePushJoinLeave,
        int historySize,
        Duration historyTtl,
        Duration historyMetaTtl,
        boolean forceRecovery,
        boolean forcePositioning,
        boolean allowSubscribeForClient,
        boolean allowSubscribeForAnonymous,
        boolean allowPublishForSubscriber,
        boolean allowPublishForClient,
        boolean allowPublishForAnonymous,
        boolean allowHistoryForSubscriber,
        boolean allowHistoryForClient,
        boolean allowHistoryForAnonymous,
        boolean allowPresenceForSubscriber,
        boolean allowPresenceForClient,
        boolean allowPresenceForAnonymous,
        boolean allowUserLimitedChannels,
        Pattern channelRegex,
        boolean allowFossilDelta,
        boolean allowTagsFilter,
        boolean deltaPublish) {

    public static final ChannelOptions DEFAULT = builder().build();

    public ChannelOptions {
        historyTtl = historyTtl == null ? Duration.ZERO : historyTtl;
        historyMetaTtl = historyMetaTtl == null ? Duration.ZERO : historyMetaTtl;
        if (historySize < 0) {
            throw new IllegalArgumentException("history_size must be >= 0, got " + historySize);
        }
        if (historySize > 0 != historyTtl.isPositive()) {
            throw new IllegalArgumentException("history_size and history_ttl must be set together");
        }
    }

    /** Whether publications are kept, and so whether recovery and positioning are possible. */
    public boolean historyEnabled() {
        return historySize > 0 && historyTtl.isPositive();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private boolean presence;
        private boolean joinLeave;
        private boolean forcePushJoinLeave;
        private int historySize;
        private Duration historyTtl = Duration.ZERO;
        private Duration historyMetaTtl = Duration.ZERO;
        private boolean forceRecovery;
        private boolean forcePositioning;
        private boolean allowSubscribeForClient;
        private boolean allowSubscribeForAnonymous;
        private boolean allowPublishForSubscriber;
        private boolean allowPublishForClient;
        private boolean allowPublishForAnonymous;
        private boolean allowHistoryForSubscriber;
        private boolean allowHistoryForClient;
        private boolean allowHistoryForAnonymous;
        private boolean allowPresenceForSubscriber;
        private boolean allowPresenceForClient;
        private boolean allowPresenceForAnonymous;
        private boolean allowUserLimitedChannels;
        private Pattern channelRegex;
        private boolean allowFossilDelta;
        private boolean allowTagsFilter;
        private boolean deltaPublish;

        private Builder(ChannelOptions o) {
            if (o == null) {
                return;
            }
            presence = o.presence;
            joinLeave = o.joinLeave;
            forcePushJoinLeave = o.forcePushJoinLeave;
            historySize = o.historySize;
            historyTtl = o.historyTtl;
            historyMetaTtl = o.historyMetaTtl;
            forceRecovery = o.forceRecovery;
            forcePositioning = o.forcePositioning;
            allowSubscribeForClient = o.allowSubscribeForClient;
            allowSubscribeForAnonymous = o.allowSubscribeForAnonymous;
            allowPublishForSubscriber = o.allowPublishForSubscriber;
            allowPublishForClient = o.allowPublishForClient;
            allowPublishForAnonymous = o.allowPublishForAnonymous;
            allowHistoryForSubscriber = o.allowHistoryForSubscriber;
            allowHistoryForClient = o.allowHistoryForClient;
            allowHistoryForAnonymous = o.allowHistoryForAnonymous;
            allowPresenceForSubscriber = o.allowPresenceForSubscriber;
            allowPresenceForClient = o.allowPresenceForClient;
            allowPresenceForAnonymous = o.allowPresenceForAnonymous;
            allowUserLimitedChannels = o.allowUserLimitedChannels;
            channelRegex = o.channelRegex;
            allowFossilDelta = o.allowFossilDelta;
            allowTagsFilter = o.allowTagsFilter;
            deltaPublish = o.deltaPublish;
        }

        public Builder presence(boolean v) { presence = v; return this; }
        public Builder joinLeave(boolean v) { joinLeave = v; return this; }
        public Builder forcePushJoinLeave(boolean v) { forcePushJoinLeave = v; return this; }
        public Builder historySize(int v) { historySize = v; return this; }
        public Builder historyTtl(Duration v) { historyTtl = v; return this; }
        public Builder historyMetaTtl(Duration v) { historyMetaTtl = v; return this; }
        public Builder forceRecovery(boolean v) { forceRecovery = v; return this; }
        public Builder forcePositioning(boolean v) { forcePositioning = v; return this; }
        public Builder allowSubscribeForClient(boolean v) { allowSubscribeForClient = v; return this; }
        public Builder allowSubscribeForAnonymous(boolean v) { allowSubscribeForAnonymous = v; return this; }
        public Builder allowPublishForSubscriber(boolean v) { allowPublishForSubscriber = v; return this; }
        public Builder allowPublishForClient(boolean v) { allowPublishForClient = v; return this; }
        public Builder allowPublishForAnonymous(boolean v) { allowPublishForAnonymous = v; return this; }
        public Builder allowHistoryForSubscriber(boolean v) { allowHistoryForSubscriber = v; return this; }
        public Builder allowHistoryForClient(boolean v) { allowHistoryForClient = v; return this; }
        public Builder allowHistoryForAnonymous(boolean v) { allowHistoryForAnonymous = v; return this; }
        public Builder allowPresenceForSubscriber(boolean v) { allowPresenceForSubscriber = v; return this; }
        public Builder allowPresenceForClient(boolean v) { allowPresenceForClient = v; return this; }
        public Builder allowPresenceForAnonymous(boolean v) { allowPresenceForAnonymous = v; return this; }
        public Builder allowUserLimitedChannels(boolean v) { allowUserLimitedChannels = v; return this; }
        public Builder channelRegex(Pattern v) { channelRegex = v; return this; }
        public Builder allowFossilDelta(boolean v) { allowFossilDelta = v; return this; }
        public Builder allowTagsFilter(boolean v) { allowTagsFilter = v; return this; }
        public Builder deltaPublish(boolean v) { deltaPublish = v; return this; }

        public ChannelOptions build() {
            return new ChannelOptions(presence, joinLeave, forcePushJoinLeave, historySize, historyTtl,
                    historyMetaTtl, forceRecovery, forcePositioning, allowSubscribeForClient,
                    allowSubscribeForAnonymous, allowPublishForSubscriber, allowPublishForClient,
                    allowPublishForAnonymous, allowHistoryForSubscriber, allowHistoryForClient,
                    allowHistoryForAnonymous, allowPresenceForSubscriber, allowPresenceForClient,
                    allowPresenceForAnonymous, allowUserLimitedChannels, channelRegex, allowFossilDelta,
                    allowTagsFilter, deltaPublish);
        }
    }
}
