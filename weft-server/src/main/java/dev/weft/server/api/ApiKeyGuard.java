package dev.weft.server.api;

import dev.weft.core.limits.KeyedRateLimiter;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.server.http.ConnectionAdmission;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.github.bucket4j.TimeMeter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Puts the server API key check ({@link ApiKeyCheck}) in front of endpoints and makes guessing the key slow:
 * an address (IPv6: its /64) may send {@value #BURST} requests with a missing or wrong key at once and then one
 * every {@link #REFILL}. Beyond that every request from that address is refused with 429 and
 * {@code Retry-After} — whatever key it carries, so a right guess cannot be told from a wrong one — until its
 * allowance refills; other addresses are not affected. Refusals are counted ({@code api.key} for 401,
 * {@code api.key_rate} for 429) and logged at most one line a second per kind.
 *
 * <p>Thread-safe; runs on event loops and never blocks.
 */
public final class ApiKeyGuard {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyGuard.class);
    /** Wrong keys an address may send at once. */
    static final int BURST = 20;
    /** Then one wrong key per this. */
    static final Duration REFILL = Duration.ofSeconds(3);
    private static final int MAX_TRACKED_ADDRESSES = 65_536;

    private final ApiKeyCheck keyCheck;
    private final RefusalCounters refusals;
    private final KeyedRateLimiter wrongKeys;
    private final LogThrottle keyLog = new LogThrottle(Duration.ofSeconds(1));
    private final LogThrottle rateLog = new LogThrottle(Duration.ofSeconds(1));

    public ApiKeyGuard(ApiKeyCheck keyCheck, RefusalCounters refusals) {
        this.keyCheck = keyCheck;
        this.refusals = refusals;
        this.wrongKeys = new KeyedRateLimiter(1, REFILL, BURST, MAX_TRACKED_ADDRESSES, TimeMeter.SYSTEM_NANOTIME);
    }

    /** {@code endpoint}, answered only for requests with the right key; a disabled endpoint as it is. */
    public HttpEndpoint guard(HttpEndpoint endpoint) {
        return HttpEndpoint.guarded(endpoint, exchange -> {
            if (admit(exchange)) {
                endpoint.handle(exchange);
            }
        });
    }

    /** True when the request may go on; otherwise it has been answered (429 or 401). */
    private boolean admit(HttpExchange exchange) {
        String address = ConnectionAdmission.addressKey(exchange.context().channel().remoteAddress());
        long waitNanos = wrongKeys.nanosUntilAvailable(address);
        if (waitNanos > 0) {
            tooMany(exchange, address, waitNanos);
            return false;
        }
        String refusal = keyCheck.refusal(exchange.request().headers(), exchange.queryParameter("api_key"));
        if (refusal == null) {
            return true;
        }
        waitNanos = wrongKeys.tryAcquire(address);
        if (waitNanos > 0) { // another request of this address took the last token meanwhile
            tooMany(exchange, address, waitNanos);
            return false;
        }
        refusals.increment(RefusalCounters.API_KEY);
        long suppressed = keyLog.admit();
        if (suppressed >= 0) {
            log.info("refused {} {} from {}: 401 ({}){}", exchange.method(), exchange.path(),
                    exchange.remoteAddress(), refusal,
                    suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
        }
        exchange.respond(HttpResponses.status(HttpResponseStatus.UNAUTHORIZED));
        return false;
    }

    private void tooMany(HttpExchange exchange, String address, long waitNanos) {
        refusals.increment(RefusalCounters.API_KEY_RATE);
        long suppressed = rateLog.admit();
        if (suppressed >= 0) {
            log.info("refused {} {} from {}: 429 (more than {} wrong API keys from {}, then one per {} s){}",
                    exchange.method(), exchange.path(), exchange.remoteAddress(), BURST, address,
                    REFILL.toSeconds(), suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
        }
        FullHttpResponse response = HttpResponses.status(HttpResponseStatus.TOO_MANY_REQUESTS);
        response.headers().set(HttpHeaderNames.RETRY_AFTER,
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L)));
        exchange.respond(response);
    }
}
