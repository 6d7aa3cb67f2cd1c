package dev.weft.core.auth;

import java.util.List;
import java.util.Map;

/**
 * Verified claims of a connection JWT.
 *
 * @param user     {@code sub}; "" for anonymous
 * @param expireAt {@code exp} (or {@code expire_at} when present) in Unix seconds; 0 = never expires
 * @param info     {@code info} as raw JSON (or decoded {@code b64info}); null when absent
 * @param channels {@code channels}: server-side subscriptions
 * @param subs     {@code subs}: server-side subscriptions with per-channel data (raw JSON, may be null)
 * @param meta     {@code meta} as raw JSON, never sent to clients; null when absent
 */
public record ConnectToken(String user, long expireAt, byte[] info, List<String> channels,
                           Map<String, byte[]> subs, byte[] meta) {
    public ConnectToken {
        user = user == null ? "" : user;
        channels = channels == null ? List.of() : List.copyOf(channels);
        subs = subs == null ? Map.of() : Map.copyOf(subs);
    }
}
