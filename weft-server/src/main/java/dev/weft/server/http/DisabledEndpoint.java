package dev.weft.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;

/** A path that exists but is switched off by configuration: 404 for every method, with the reason logged. */
public final class DisabledEndpoint implements HttpEndpoint {
    private static final Set<HttpMethod> ALL = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    private final String reason;

    /** @param reason for the log, e.g. "server API disabled: set http_api.key or http_api.insecure" */
    public DisabledEndpoint(String reason) {
        this.reason = reason;
    }

    @Override
    public Set<HttpMethod> methods() {
        return ALL;
    }

    @Override
    public void handle(HttpExchange exchange) {
        exchange.refuse(HttpResponseStatus.NOT_FOUND, reason);
    }
}
