package dev.weft.core.docs;

import dev.weft.core.auth.TokenRevocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends document peers whose token stops being good while they are connected: at its {@code exp}, when its
 * {@code jti} is revoked, or when its user's tokens are invalidated (server API {@code revoke_token},
 * {@code invalidate_user_tokens}), as the client protocol's connections are ended.
 *
 * <p>Thread-safe. The {@code end} callbacks run on the revoking thread or the timer thread and must not block.
 */
final class DocumentTokenWatch implements TokenRevocations.Listener {
    private static final Logger log = LoggerFactory.getLogger(DocumentTokenWatch.class);

    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();

    DocumentTokenWatch(TokenRevocations revocations, ScheduledExecutorService timer, Clock clock) {
        this.timer = timer;
        this.clock = clock;
        revocations.addListener(this);
    }

    private final class Watched {
        final DocumentGrant grant;
        final Runnable end;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> expiry;

        Watched(DocumentGrant grant, Runnable end) {
            this.grant = grant;
            this.end = end;
        }

        void fire(String why) {
            if (stop()) {
                log.info("ending a document peer of user '{}': {}", grant.user(), why);
                end.run();
            }
        }

        boolean stop() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            watched.remove(this);
            ScheduledFuture<?> e = expiry;
            if (e != null) {
                e.cancel(false);
            }
            return true;
        }
    }

    /** Runs {@code end} once if the grant's token expires or is revoked; the returned action stops watching. */
    Runnable watch(DocumentGrant grant, Runnable end) {
        Watched w = new Watched(grant, end);
        watched.add(w);
        if (grant.expireAt() > 0) {
            long delay = grant.expireAt() * 1000 - clock.millis();
            try {
                w.expiry = timer.schedule(() -> w.fire("token expired"), Math.max(0, delay), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("timer stopped: token expiry not watched");
            }
        }
        return w::stop;
    }

    @Override
    public void tokenRevoked(String jti) {
        if (jti.isEmpty()) {
            return;
        }
        watched.stream().filter(w -> jti.equals(w.grant.jti())).toList().forEach(w -> w.fire("token revoked"));
    }

    @Override
    public void userTokensInvalidated(String user, long issuedBefore) {
        if (user.isEmpty()) {
            return;
        }
        watched.stream()
                .filter(w -> user.equals(w.grant.user()) && (w.grant.issuedAt() == 0 || w.grant.issuedAt() < issuedBefore))
                .toList().forEach(w -> w.fire("user's tokens invalidated"));
    }
}
