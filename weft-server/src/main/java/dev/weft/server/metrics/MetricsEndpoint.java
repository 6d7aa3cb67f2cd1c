package dev.weft.server.metrics;

import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format. The scrape walks the node's connections
 * (queue depth), so it runs on {@code executor}, not on the event loop.
 */
public final class MetricsEndpoint implements HttpEndpoint {
    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final Executor executor;

    public MetricsEndpoint(ServerMetrics metrics, Executor executor) {
        this.metrics = metrics;
        this.executor = executor;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            executor.execute(() -> exchange.respond(HttpResponses.withBody(HttpResponseStatus.OK,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8), CONTENT_TYPE)));
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "server shutting down");
        }
    }
}
