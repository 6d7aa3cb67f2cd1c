package dev.weft.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /ready}: readiness, for load balancers and orchestrators — 200 {@code {}} while the node can serve
 * everything it offers; 503 {@code {"ready":false,"reason":"…"}} while it cannot: the engine's broker
 * unreachable (Redis or NATS connection down), or the document store failing (disk full, file not writable). {@code /health} stays liveness: 200 while the process serves.
 *
 * <p>Thread-safe; answers on the event loop: the reason comes from what the node last saw, never a blocking
 * check.
 */
public final class ReadyEndpoint implements HttpEndpoint {
    public static final String PATH = "/ready";
    private static final byte[] READY = "{}".getBytes(StandardCharsets.UTF_8);

    private final Supplier<String> unreadyReason;

    /** @param unreadyReason null while ready, else why not; must not block */
    public ReadyEndpoint(Supplier<String> unreadyReason) {
        this.unreadyReason = unreadyReason;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String reason = unreadyReason.get();
        if (reason == null) {
            exchange.respond(HttpResponses.json(HttpResponseStatus.OK, READY));
            return;
        }
        String body = "{\"ready\":false,\"reason\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(reason)) + "\"}";
        exchange.respond(HttpResponses.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                body.getBytes(StandardCharsets.UTF_8)));
    }
}
