package dev.weft.core.auth;

import dev.weft.core.channel.ChannelOptions;

/**
 * The {@code override} object of a subscription token (or of a {@code subs} entry), as in Centrifugo v6: each
 * of {@code presence}, {@code join_leave}, {@code force_push_join_leave}, {@code force_recovery} and
 * {@code force_positioning} may be set to {@code {"value": bool}}; null = the namespace's option stands.
 * Nothing else can be overridden — permissions and history size stay the namespace's.
 */
public record SubscriptionOverride(Boolean presence, Boolean joinLeave, Boolean forcePushJoinLeave,
                                   Boolean forceRecovery, Boolean forcePositioning) {
    public static final SubscriptionOverride NONE = new SubscriptionOverride(null, null, null, null, null);

    /** {@code options} with the overridden values. */
    public ChannelOptions applyTo(ChannelOptions options) {
        if (equals(NONE)) {
            return options;
        }
        var b = options.toBuilder();
        if (presence != null) {
            b.presence(presence);
        }
        if (joinLeave != null) {
            b.joinLeave(joinLeave);
        }
        if (forcePushJoinLeave != null) {
            b.forcePushJoinLeave(forcePushJoinLeave);
        }
        if (forceRecovery != null) {
            b.forceRecovery(forceRecovery);
        }
        if (forcePositioning != null) {
            b.forcePositioning(forcePositioning);
        }
        return b.build();
    }
}
