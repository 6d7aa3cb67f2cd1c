package dev.weft.core.client;

import dev.weft.core.CommandFailedException;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.proxy.ClientProxies;
import dev.weft.protocol.DisconnectCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

/**
 * How long what a session holds stays valid: the connection token (expiry, {@code jti}, {@code iat}) and each
 * subscription token. Arms the timers that end them — a connection not refreshed within
 * {@code client.expired_close_delay} after its token expired is disconnected with 3005; a subscription not
 * refreshed within {@code client.expired_sub_close_delay} gets an unsubscribe push 2501 — and, when a
 * revocation is recorded, ends the connection (3014) or the subscriptions (2502) resting on a revoked token.
 *
 * <p>With a refresh proxy ({@code client.proxy.refresh}) the backend, not the client, extends an expiring
 * connection: it is asked when the connection expires, and again every {@link #PROXY_RETRY} while it gives
 * no answer; a subscription in a namespace with a sub_refresh proxy is renewed the same way.
 *
 * <p>Decides when and why; the {@link Session} does the ending. Confined to the session's command order
 * (every call and every timer it arms runs there), so it needs no lock of its own.
 */
final class TokenLifetimes {
    /** Subscription token expired and not refreshed (Centrifuge's 2501: the SDK resubscribes with a new one). */
    static final int EXPIRED_UNSUBSCRIBE_CODE = 2501;
    /** Subscription token revoked (2502 "state invalidated": the SDK drops token and state, resubscribes). */
    static final int INVALIDATED_UNSUBSCRIBE_CODE = 2502;
    /** How soon a refresh proxy is asked again after it gave no usable answer. */
    static final Duration PROXY_RETRY = Duration.ofSeconds(10);

    /** What the owning session offers; every method runs in its command order. */
    interface Session {
        /** Runs {@code task} in the session's command order after {@code delayMillis}; null when stopping. */
        ScheduledFuture<?> schedule(Runnable task, long delayMillis);

        /** Closes the connection with {@code disconnect}, logging {@code why}. */
        void end(DisconnectCode disconnect, String why);

        /**
         * Ends {@code sub} with an unsubscribe push if it is still the session's subscription and
         * {@code stillDue} holds (checked under the session's lock).
         */
        void endSubscription(ChannelSubscription sub, int code, String reason, BooleanSupplier stillDue);

        /** Subscriptions granted by a subscription token, at this moment. */
        List<ChannelSubscription> tokenBoundSubscriptions();

        String user();

        /** The backend renewed {@code sub} until {@code expireAt}: re-arm its check if it is still there. */
        void subscriptionRenewed(ChannelSubscription sub, long expireAt);

        /** The backend renewed the connection with new info and/or meta (null = keep). */
        void renewed(byte[] info, byte[] meta);
    }

    private final SessionServices services;
    private final SessionAuthorizer authorizer;
    private final SessionProxy proxy;
    private final Session session;
    private long expireAt;
    private String jti = "";
    private long issuedAt;
    private ScheduledFuture<?> expiryTimer;

    TokenLifetimes(SessionServices services, SessionAuthorizer authorizer, SessionProxy proxy, Session session) {
        this.services = services;
        this.authorizer = authorizer;
        this.proxy = proxy;
        this.session = session;
    }

    /** The connection now rests on {@code token} (connect, refresh). */
    void accept(ConnectToken token) {
        jti = token.jti();
        issuedAt = token.issuedAt();
        extendTo(token.expireAt());
    }

    /** The connection expires at {@code newExpireAt} (Unix seconds, 0 = never) without a new token. */
    void extendTo(long newExpireAt) {
        expireAt = newExpireAt;
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (expireAt > 0 && proxy.refreshesConnection()) {
            expiryTimer = session.schedule(this::refreshThroughProxy, Math.max(millisUntil(expireAt), 0));
        } else if (expireAt > 0) {
            long delayMillis = millisUntil(expireAt) + services.config().client().expiredCloseDelay().toMillis();
            expiryTimer = session.schedule(this::closeIfExpired, Math.max(delayMillis, 0));
        }
    }

    private long millisUntil(long unixSeconds) {
        return unixSeconds * 1000 - services.clock().millis();
    }

    /** The connection expired: the backend says whether it lives on; no answer → ask again soon. */
    private void refreshThroughProxy() {
        ClientProxies.RefreshAnswer answer;
        try {
            answer = proxy.refresh();
        } catch (CommandFailedException | DisconnectException e) { // refusals do not apply to refresh
            expiryTimer = session.schedule(this::refreshThroughProxy, PROXY_RETRY.toMillis());
            return;
        }
        if (answer.expired()) {
            session.end(DisconnectCode.EXPIRED, "refresh proxy says the connection expired");
            return;
        }
        session.renewed(answer.info(), answer.meta());
        extendTo(answer.expireAt());
    }

    long expireAt() {
        return expireAt;
    }

    /**
     * Whole seconds left until {@code expireAtSeconds} (0 = never expires, or already expired), rounded down:
     * the SDK refreshes after this many seconds, so it must never be told more time than the token has.
     */
    int ttlSeconds(long expireAtSeconds) {
        if (expireAtSeconds <= 0) {
            return 0;
        }
        return (int) Math.max((expireAtSeconds * 1000 - services.clock().millis()) / 1000, 0);
    }

    /** (Re)arms the check that ends {@code sub} once its token expired unrefreshed. Caller holds the session lock. */
    void watch(ChannelSubscription sub) {
        if (sub.expiryTimer != null) {
            sub.expiryTimer.cancel(false);
            sub.expiryTimer = null;
        }
        if (sub.expireAt <= 0) {
            return;
        }
        if (!sub.tokenBound && proxy.refreshesSubscription(sub.channel)) {
            sub.expiryTimer = session.schedule(() -> refreshThroughProxy(sub),
                    Math.max(millisUntil(sub.expireAt), 0));
            return;
        }
        long delayMillis = sub.expireAt * 1000 - services.clock().millis()
                + services.config().client().expiredSubCloseDelay().toMillis();
        sub.expiryTimer = session.schedule(() -> session.endSubscription(sub, EXPIRED_UNSUBSCRIBE_CODE,
                "subscription expired", () -> expired(sub.expireAt)), Math.max(delayMillis, 0));
    }

    /** {@code sub} expired: the backend says whether it lives on; no answer → ask again soon. */
    private void refreshThroughProxy(ChannelSubscription sub) {
        ClientProxies.SubRefreshAnswer answer;
        try {
            answer = proxy.subRefresh(sub.channel);
        } catch (CommandFailedException | DisconnectException e) {
            sub.expiryTimer = session.schedule(() -> refreshThroughProxy(sub), PROXY_RETRY.toMillis());
            return;
        }
        if (answer.expired()) {
            session.endSubscription(sub, EXPIRED_UNSUBSCRIBE_CODE, "sub_refresh proxy says the subscription expired",
                    () -> true);
            return;
        }
        session.subscriptionRenewed(sub, answer.expireAt());
    }

    /** A revocation was recorded: ends the connection or the subscriptions resting on a revoked token. */
    void recheck() {
        String user = session.user();
        if (authorizer.revoked(user, jti, issuedAt)) {
            session.end(DisconnectCode.STATE_INVALIDATED, "connection token revoked");
            return;
        }
        for (ChannelSubscription sub : session.tokenBoundSubscriptions()) {
            if (authorizer.revoked(user, sub.tokenJti, sub.tokenIssuedAt)) {
                session.endSubscription(sub, INVALIDATED_UNSUBSCRIBE_CODE, "subscription token revoked",
                        () -> true);
            }
        }
    }

    /**
     * Stops the connection's timer: the session is being released (subscription timers go with their
     * subscriptions). Runs in the command order like every other call, after the last command.
     */
    void cancel() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
    }

    private void closeIfExpired() {
        if (expired(expireAt)) {
            session.end(DisconnectCode.EXPIRED, "did not refresh its expired token");
        }
    }

    private boolean expired(long at) {
        return at > 0 && at * 1000 <= services.clock().millis();
    }
}
