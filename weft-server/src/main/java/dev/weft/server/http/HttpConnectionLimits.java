package dev.weft.server.http;

import java.time.Duration;

/**
 * How long HTTP connections and requests may take, and how many streams an HTTP/2 connection may hold — the
 * same bounds for HTTP/1.1 and HTTP/2.
 *
 * @param requestDeadline      a request (HTTP/1.1: the connection's first; HTTP/2: each stream's) must be
 *                             complete within this of its start ({@code client.stale_close_delay}); zero = none
 * @param idleTimeout          an HTTP/1.1 keep-alive connection waits this long for its next request, an HTTP/2
 *                             connection without open streams this long for a new one
 *                             ({@code http_server.idle_timeout})
 * @param maxConcurrentStreams streams open at once per HTTP/2 connection
 *                             ({@code http_server.http2.max_concurrent_streams})
 */
public record HttpConnectionLimits(Duration requestDeadline, Duration idleTimeout, int maxConcurrentStreams) {
    /** No request deadline; 60 s idle; 250 streams. */
    public static final HttpConnectionLimits DEFAULT = new HttpConnectionLimits(Duration.ZERO, Duration.ofSeconds(60), 250);
}
