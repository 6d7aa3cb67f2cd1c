package dev.weft.core.auth;

/**
 * Verified claims of a subscription JWT: user {@code user} ({@code sub}) may subscribe to {@code channel}
 * until {@code expireAt}.
 *
 * @param user         {@code sub} (or {@code client.subscription_token.user_id_claim}); must be the connection's
 * @param channel      {@code channel}; never empty
 * @param client       {@code client}: when not "", only the connection with this client ID may use the token
 * @param expireAt     {@code expire_at} when present (0 there = never), else {@code exp}; 0 = never
 * @param issuedAt     {@code iat}, Unix seconds; 0 when absent
 * @param jti          {@code jti}; "" when absent
 * @param subscription channel info, data and option overrides the token grants
 */
public record SubscriptionToken(String user, String channel, String client, long expireAt, long issuedAt,
                                String jti, TokenSubscription subscription) {
    public SubscriptionToken {
        user = user == null ? "" : user;
        channel = channel == null ? "" : channel;
        client = client == null ? "" : client;
        jti = jti == null ? "" : jti;
        subscription = subscription == null ? TokenSubscription.NONE : subscription;
    }

    /** Channel info granted by the token (raw JSON or bytes), or null. */
    public byte[] info() {
        return subscription.info();
    }
}
