package dev.weft.core.auth;

/**
 * Verified claims of a subscription JWT: the user ({@code sub}) may subscribe to {@code channel} until
 * {@code expireAt} (Unix seconds, 0 = never), with channel info {@code info} (raw JSON or null).
 */
public record SubscriptionToken(String user, String channel, long expireAt, byte[] info) {
    public SubscriptionToken {
        user = user == null ? "" : user;
        channel = channel == null ? "" : channel;
    }
}
