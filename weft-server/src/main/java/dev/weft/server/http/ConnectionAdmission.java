package dev.weft.server.http;

import dev.weft.core.ClientOptions;
import dev.weft.core.limits.KeyedRateLimiter;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.protocol.ErrorCode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, before any upgrade or stream work, whether a client may open a connection — the same checks for
 * every transport that holds a connection open (WebSocket, SSE, HTTP-streaming, their one-way and emulated
 * forms; {@link #guard} puts them in front of an endpoint):
 *
 * <ol>
 *   <li>the client address's attempt rate, {@code client.ip_connection_rate_limit} /
 *       {@code client.ip_connection_rate_burst} → 429 (IPv6 addresses count per /64, the block one
 *       subscriber usually holds);</li>
 *   <li>the node's open connections, {@code client.connection_limit} → 503;</li>
 *   <li>the node's new connections per second, {@code client.connection_rate_limit} → 503.</li>
 * </ol>
 *
 * A refusal is answered with a JSON body {@code {"error":{"code":111,"message":…}}} (106 for the connection
 * limit), a {@code Retry-After} for the rate limits, and closes the connection; it is counted in
 * {@link RefusalCounters} and logged — at most one line a second per kind, so a flood cannot flood the log.
 *
 * <p>The address is the socket's peer: behind a reverse proxy every client shares the proxy's address, so
 * limit per address at the proxy instead (Weft does not trust {@code X-Forwarded-For}, which any client can
 * send).
 *
 * <p>Thread-safe; {@link #admit} runs on event loops and never blocks.
 */
public final class ConnectionAdmission {
    private static final Logger log = LoggerFactory.getLogger(ConnectionAdmission.class);
    /** Most addresses with their own bucket; beyond that new addresses share one (see KeyedRateLimiter). */
    private static final int MAX_TRACKED_ADDRESSES = 65_536;

    private final RefusalCounters refusals;
    private final int ipRate;
    private final KeyedRateLimiter perAddress;
    private final int connectionLimit;
    private final int connectionRate;
    private final Bucket nodeRate;
    private final AtomicInteger open = new AtomicInteger();
    private final LogThrottle addressLog = new LogThrottle(Duration.ofSeconds(1));
    private final LogThrottle limitLog = new LogThrottle(Duration.ofSeconds(1));
    private final LogThrottle rateLog = new LogThrottle(Duration.ofSeconds(1));

    public ConnectionAdmission(ClientOptions options, RefusalCounters refusals) {
        this.refusals = refusals;
        this.ipRate = options.ipConnectionRateLimit();
        this.perAddress = ipRate <= 0 ? null : new KeyedRateLimiter(ipRate,
                Math.max(1, options.ipConnectionRateBurst()), MAX_TRACKED_ADDRESSES, TimeMeter.SYSTEM_NANOTIME);
        this.connectionLimit = options.connectionLimit();
        this.connectionRate = options.connectionRateLimit();
        this.nodeRate = connectionRate <= 0 ? null : Bucket.builder()
                .addLimit(l -> l.capacity(connectionRate).refillGreedy(connectionRate, Duration.ofSeconds(1)))
                .build();
    }

    /** No limits; refusals (origin, frame size) still counted in {@code refusals}. */
    public static ConnectionAdmission unlimited(RefusalCounters refusals) {
        return new ConnectionAdmission(ClientOptions.builder().ipConnectionRateLimit(0).build(), refusals);
    }

    /** Where the transports count what they refuse. */
    public RefusalCounters refusals() {
        return refusals;
    }

    /** The node's connection limit in force; 0 = none. */
    public int connectionLimit() {
        return connectionLimit;
    }

    /** Connections counted as open: admitted attempts being answered, upgraded sockets and open streams. */
    public int openConnections() {
        return open.get();
    }

    /**
     * Runs the checks for a connection attempt and, when they pass, holds one slot of the node's connection
     * limit for it (give it back with {@link #release} unless the attempt becomes a connection). On refusal the
     * exchange is answered (and the connection closed) and false returned; the caller must then do nothing
     * more with it.
     */
    boolean admit(HttpExchange exchange) {
        if (perAddress != null) {
            String address = addressKey(exchange.context().channel().remoteAddress());
            long waitNanos = perAddress.tryAcquire(address);
            if (waitNanos > 0) {
                refuse(exchange, HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCode.TOO_MANY_REQUESTS,
                        "too many connection attempts", waitNanos, RefusalCounters.CONNECTION_ADDRESS_RATE,
                        addressLog, "more than " + ipRate + " connection attempts per second from " + address
                                + " (client.ip_connection_rate_limit)");
                return false;
            }
        }
        if (!reserveSlot()) {
            refuse(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.LIMIT_EXCEEDED,
                    "connection limit reached", 0, RefusalCounters.CONNECTION_NODE_LIMIT, limitLog,
                    "the node holds " + connectionLimit + " connections (client.connection_limit)");
            return false;
        }
        if (nodeRate != null) {
            ConsumptionProbe probe = nodeRate.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                release();
                refuse(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, ErrorCode.TOO_MANY_REQUESTS,
                        "too many new connections", Math.max(1, probe.getNanosToWaitForRefill()),
                        RefusalCounters.CONNECTION_NODE_RATE, rateLog, "more than " + connectionRate
                                + " new connections per second on this node (client.connection_rate_limit)");
                return false;
            }
        }
        return true;
    }

    /**
     * {@code endpoint} behind these checks: a refused attempt never reaches it, and a request it turned into
     * a connection (a WebSocket upgrade, a streamed response) is counted as open until that connection (for
     * HTTP/2: that stream) closes. CORS preflights pass unchecked: they open nothing. A disabled endpoint is
     * returned as it is.
     */
    public HttpEndpoint guard(HttpEndpoint endpoint) {
        return HttpEndpoint.guarded(endpoint, exchange -> {
            if (exchange.method().equals(HttpMethod.OPTIONS)) {
                endpoint.handle(exchange);
                return;
            }
            // The slot is taken before the endpoint answers: a client that has seen its 101 must already
            // count when its next attempt arrives on another event loop.
            if (!admit(exchange)) {
                return;
            }
            boolean connected = false;
            try {
                endpoint.handle(exchange);
                // Upgraded (the router left the pipeline) or streaming: the connection is open now.
                connected = exchange.streaming() || exchange.context().isRemoved();
            } finally {
                if (connected) {
                    exchange.context().channel().closeFuture().addListener(f -> release());
                } else {
                    release();
                }
            }
        });
    }

    /** Takes one slot under the node's connection limit (always, when there is no limit); false when full. */
    private boolean reserveSlot() {
        while (true) {
            int current = open.get();
            if (connectionLimit > 0 && current >= connectionLimit) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void release() {
        open.decrementAndGet();
    }

    private void refuse(HttpExchange exchange, HttpResponseStatus status, ErrorCode code, String message,
                        long retryNanos, String reason, LogThrottle throttle, String why) {
        refusals.increment(reason);
        long suppressed = throttle.admit();
        if (suppressed >= 0) {
            log.info("refused {} {} from {}: {} ({}){}", exchange.method(), exchange.path(),
                    exchange.remoteAddress(), status.code(), why,
                    suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
        }
        byte[] body = ("{\"error\":{\"code\":" + code.code() + ",\"message\":\"" + message + "\"}}\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = HttpResponses.json(status, body);
        if (retryNanos > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER,
                    Math.max(1, TimeUnit.NANOSECONDS.toSeconds(retryNanos + 999_999_999L)));
        }
        exchange.respond(response, true);
    }

    /** The address a client is limited by: the IPv4 address, or the /64 block of an IPv6 one. */
    public static String addressKey(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(remote);
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen for 16 bytes
            }
        }
        return address.getHostAddress();
    }
}
