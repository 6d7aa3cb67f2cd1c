package dev.weft.core.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verified claims of a connection JWT.
 *
 * @param user     {@code sub} (or the claim named by {@code client.token.user_id_claim}); "" for anonymous
 * @param expireAt when the connection expires, Unix seconds: {@code expire_at} when present (0 there = never),
 *                 else {@code exp}; 0 = never
 * @param issuedAt {@code iat}, Unix seconds; 0 when absent (user token invalidation then always applies)
 * @param jti      {@code jti}, the token's ID for revocation; "" when absent
 * @param info     {@code info} as raw JSON (or decoded {@code b64info}); null when absent
 * @param subs     server-side subscriptions: {@code subs} entries, then {@code channels} not in {@code subs}
 *                 (with no options), in claim order
 * @param meta     {@code meta} as raw JSON, never sent to clients; null when absent
 */
public record ConnectToken(String user, long expireAt, long issuedAt, String jti, byte[] info,
                           Map<String, TokenSubscription> subs, byte[] meta) {
    public ConnectToken {
        user = user == null ? "" : user;
        jti = jti == null ? "" : jti;
        subs = subs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subs));
    }

    /** A connection without token (anonymous or insecure mode). */
    public static ConnectToken anonymous() {
        return new ConnectToken("", 0, 0, "", null, Map.of(), null);
    }
}
