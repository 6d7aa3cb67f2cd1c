package dev.weft.server.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.limits.KeyedRateLimiter;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.server.api.ApiJson;
import dev.weft.server.http.ConnectionAdmission;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.github.bucket4j.TimeMeter;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who may use the admin endpoints: {@code POST /admin/login} trades the password for a session cookie
 * ({@link AdminSessions}), {@link #guard} answers 401 to every request without one. Guessing is slow: an
 * address (IPv6: its /64) may try {@value #BURST} wrong passwords at once, then one every {@link #REFILL};
 * beyond that every login from it gets 429 with {@code Retry-After}, right password or not. Refusals are
 * counted ({@value #WRONG_PASSWORD}, {@value #THROTTLED}) and logged at most once a second.
 *
 * <p>Thread-safe; runs on event loops and never blocks.
 */
final class AdminAccess {
    private static final Logger log = LoggerFactory.getLogger(AdminAccess.class);
    static final String WRONG_PASSWORD = "admin.password";
    static final String THROTTLED = "admin.password_rate";
    static final int BURST = 5;
    static final Duration REFILL = Duration.ofSeconds(3);
    private static final int MAX_TRACKED_ADDRESSES = 65_536;

    private final AdminSessions sessions;
    private final RefusalCounters refusals;
    private final KeyedRateLimiter wrongPasswords;
    private final LogThrottle refusalLog = new LogThrottle(Duration.ofSeconds(1));

    AdminAccess(AdminSessions sessions, RefusalCounters refusals) {
        this.sessions = sessions;
        this.refusals = refusals;
        this.wrongPasswords = new KeyedRateLimiter(1, REFILL, BURST, MAX_TRACKED_ADDRESSES,
                TimeMeter.SYSTEM_NANOTIME);
    }

    /** {@code endpoint}, answered only for requests with a valid admin session; 401 otherwise. */
    HttpEndpoint guard(HttpEndpoint endpoint) {
        return HttpEndpoint.guarded(endpoint, exchange -> {
            if (sessions.authenticated(exchange.request().headers())) {
                endpoint.handle(exchange);
            } else {
                exchange.respond(HttpResponses.jsonError(HttpResponseStatus.UNAUTHORIZED, "admin login required"));
            }
        });
    }

    /** {@code POST /admin/login} with {@code {"password": "…"}}: 204 and the session cookie, 401, 429 or 400. */
    HttpEndpoint login() {
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.POST);
            }

            @Override
            public void handle(HttpExchange exchange) {
                String address = ConnectionAdmission.addressKey(exchange.context().channel().remoteAddress());
                long waitNanos = wrongPasswords.nanosUntilAvailable(address);
                if (waitNanos > 0) {
                    throttled(exchange, address, waitNanos);
                    return;
                }
                String password = password(ByteBufUtil.getBytes(exchange.request().content()));
                if (password == null) {
                    exchange.respond(HttpResponses.jsonError(HttpResponseStatus.BAD_REQUEST,
                            "expected {\"password\": \"…\"}"));
                    return;
                }
                if (sessions.passwordMatches(password)) {
                    FullHttpResponse response = HttpResponses.empty(HttpResponseStatus.NO_CONTENT);
                    response.headers().set(HttpHeaderNames.SET_COOKIE, sessions.newSessionCookie());
                    log.info("admin login from {}", exchange.remoteAddress());
                    exchange.respond(response);
                    return;
                }
                waitNanos = wrongPasswords.tryAcquire(address);
                if (waitNanos > 0) {
                    throttled(exchange, address, waitNanos);
                    return;
                }
                refusals.increment(WRONG_PASSWORD);
                logRefusal("refused admin login from {}: 401 (wrong password)", exchange.remoteAddress());
                exchange.respond(HttpResponses.jsonError(HttpResponseStatus.UNAUTHORIZED, "wrong password"));
            }
        };
    }

    /** {@code POST /admin/logout}: clears the cookie (the signed value stays valid until it expires). */
    HttpEndpoint logout() {
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.POST);
            }

            @Override
            public void handle(HttpExchange exchange) {
                FullHttpResponse response = HttpResponses.empty(HttpResponseStatus.NO_CONTENT);
                response.headers().set(HttpHeaderNames.SET_COOKIE, sessions.clearedCookie());
                exchange.respond(response);
            }
        };
    }

    private static String password(byte[] body) {
        try {
            JsonNode node = ApiJson.mapper().readTree(body);
            return node != null && node.path("password").isTextual() ? node.path("password").asText() : null;
        } catch (JacksonException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private void throttled(HttpExchange exchange, String address, long waitNanos) {
        refusals.increment(THROTTLED);
        logRefusal("refused admin login from {}: 429 (more than " + BURST + " wrong passwords, then one per "
                + REFILL.toSeconds() + " s)", address);
        FullHttpResponse response = HttpResponses.jsonError(HttpResponseStatus.TOO_MANY_REQUESTS,
                "too many wrong passwords; wait");
        response.headers().set(HttpHeaderNames.RETRY_AFTER,
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L)));
        exchange.respond(response);
    }

    private void logRefusal(String format, String address) {
        long suppressed = refusalLog.admit();
        if (suppressed >= 0) {
            log.info(format + (suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : ""), address);
        }
    }
}
