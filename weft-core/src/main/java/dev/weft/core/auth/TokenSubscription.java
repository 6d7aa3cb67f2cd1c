package dev.weft.core.auth;

/**
 * What a token grants for one channel: an entry of a connection token's {@code subs} (or {@code channels})
 * claim, or the body of a subscription token.
 *
 * @param info     channel info ({@code info}, or decoded {@code b64info}) attached to the subscriber's
 *                 presence, join/leave and publications; null when absent
 * @param data     {@code data} (or decoded {@code b64data}) sent to the client in the subscribe result; null
 * @param override per-subscription changes to the namespace's options
 */
public record TokenSubscription(byte[] info, byte[] data, SubscriptionOverride override) {
    public static final TokenSubscription NONE = new TokenSubscription(null, null, SubscriptionOverride.NONE);

    public TokenSubscription {
        override = override == null ? SubscriptionOverride.NONE : override;
    }
}
