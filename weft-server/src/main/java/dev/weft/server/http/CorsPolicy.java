package dev.weft.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for the HTTP endpoints browsers call with {@code fetch} or {@code EventSource}
 * (HTTP-streaming, SSE, emulation): the same origins as for WebSocket ({@code client.allowed_origins}, see
 * {@link OriginPolicy}). A request from an allowed origin gets {@code Access-Control-Allow-Origin: <origin>};
 * with credentials ({@code Access-Control-Allow-Credentials: true}, for a page's {@code credentials: 'include'})
 * only when the origin is the server's own or named by a pattern that does not let in any site — a wildcard
 * such as {@code *} never grants credentialed access, so no page can read a visitor's private stream through
 * it. A preflight gets the methods and the headers it asked for. Requests without {@code Origin} (non-browser
 * clients) pass and get no CORS headers.
 *
 * <p>Immutable, thread-safe.
 */
public final class CorsPolicy {
    /** How long a browser may cache a preflight answer (seconds). */
    private static final int PREFLIGHT_MAX_AGE = 600;

    private final OriginPolicy origins;

    public CorsPolicy(OriginPolicy origins) {
        this.origins = origins;
    }

    /** Null when the request's Origin may use the endpoint, else why not (for the log). */
    public String refusal(HttpHeaders request) {
        return origins.refusal(request.get(HttpHeaderNames.ORIGIN), request.get(HttpHeaderNames.HOST));
    }

    /** The request's {@code Origin}, or null: what {@link #allow} and {@link #refuse} need of it. */
    public static String origin(HttpHeaders request) {
        return request.get(HttpHeaderNames.ORIGIN);
    }

    /** Adds the CORS headers the response to an allowed request from {@code origin} (may be null) needs. */
    public void allow(String origin, HttpHeaders response) {
        if (origin == null || origin.isEmpty()) {
            return;
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (origins.grantsCredentials(origin)) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    /**
     * Refuses an allowed-origin request with a JSON error the page can read (CORS headers added), and logs
     * why.
     *
     * @param origin the request's {@code Origin} ({@link #origin}), or null
     */
    public void refuse(HttpExchange exchange, String origin, HttpResponseStatus status, String reason) {
        FullHttpResponse response = HttpResponses.jsonError(status, reason);
        allow(origin, response.headers());
        exchange.refuse(response, reason);
    }

    /**
     * The start every cross-origin endpoint shares: answers an {@code OPTIONS} preflight, or refuses a request
     * from a refused origin with 403 (logged). True when the exchange is answered and the endpoint stops there.
     */
    public boolean answeredUpFront(HttpExchange exchange, Set<HttpMethod> methods) {
        if (exchange.method().equals(HttpMethod.OPTIONS)) {
            preflight(exchange, methods);
            return true;
        }
        String originRefusal = refusal(exchange.request().headers());
        if (originRefusal != null) {
            exchange.refuseJson(HttpResponseStatus.FORBIDDEN, originRefusal);
            return true;
        }
        return false;
    }

    /**
     * Answers an {@code OPTIONS} request: 403 (logged) for a refused origin, else 204 with the CORS headers
     * for {@code methods} and whatever request headers the browser announced.
     */
    public void preflight(HttpExchange exchange, Set<HttpMethod> methods) {
        HttpHeaders request = exchange.request().headers();
        String refusal = refusal(request);
        if (refusal != null) {
            exchange.refuseJson(HttpResponseStatus.FORBIDDEN, refusal);
            return;
        }
        FullHttpResponse response = HttpResponses.empty(HttpResponseStatus.NO_CONTENT);
        allow(origin(request), response.headers());
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
                methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
        String asked = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null && !asked.isBlank()) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        response.headers().setInt(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE);
        exchange.respond(response);
    }
}
