package dev.weft.core.auth;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Revoked tokens ({@code jti}) and per-user invalidation times, kept in memory. A revoked {@code jti} is
 * remembered until the token would have expired anyway; an invalidation refuses every token of the user
 * issued ({@code iat}) before the given time. Later, brokers share these between nodes.
 *
 * <p>Listeners ({@link #addListener}) hear of each revocation after it is recorded, so the node can end the
 * connections and subscriptions that rest on a revoked token at once instead of at their next refresh.
 *
 * <p>Thread-safe (concurrent maps); expired entries are dropped on {@link #sweep}. Listeners run on the
 * caller's thread and must not block.
 */
public final class TokenRevocations {
    /** How long a revocation of a token without {@code exp} is kept (seconds). */
    public static final long DEFAULT_REVOCATION_TTL_SECONDS = 30L * 24 * 3600;

    private final Clock clock;
    private final Map<String, Long> revokedJtiUntil = new ConcurrentHashMap<>();
    private final Map<String, Long> userInvalidatedBefore = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Hears of revocations as they are recorded; implementations must not block. */
    public interface Listener {
        void tokenRevoked(String jti);

        void userTokensInvalidated(String user, long issuedBefore);
    }

    public TokenRevocations(Clock clock) {
        this.clock = clock;
    }

    public TokenRevocations() {
        this(Clock.systemUTC());
    }

    /** Revokes the token with this {@code jti}; {@code expireAt} is its {@code exp} (0 = keep the default). */
    public void revokeToken(String jti, long expireAt) {
        long until = expireAt > 0 ? expireAt : now() + DEFAULT_REVOCATION_TTL_SECONDS;
        revokedJtiUntil.merge(jti, until, Math::max);
        listeners.forEach(l -> l.tokenRevoked(jti));
    }

    /** Refuses every token of {@code user} issued before {@code issuedBefore} (Unix seconds). */
    public void invalidateUserTokens(String user, long issuedBefore) {
        userInvalidatedBefore.merge(user, issuedBefore, Math::max);
        listeners.forEach(l -> l.userTokensInvalidated(user, issuedBefore));
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public boolean isRevoked(String jti) {
        if (jti == null || jti.isEmpty()) {
            return false;
        }
        Long until = revokedJtiUntil.get(jti);
        return until != null && until > now();
    }

    /** Whether a token of {@code user} issued at {@code issuedAt} (0 = unknown) was invalidated. */
    public boolean isInvalidated(String user, long issuedAt) {
        Long before = userInvalidatedBefore.get(user);
        return before != null && (issuedAt == 0 || issuedAt < before);
    }

    /** Drops revocations of tokens that have expired by now. */
    public void sweep() {
        long now = now();
        revokedJtiUntil.values().removeIf(until -> until <= now);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
