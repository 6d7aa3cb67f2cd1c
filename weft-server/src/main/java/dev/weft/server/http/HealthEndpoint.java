package dev.weft.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code GET /health}: 200 {@code {}} while the server accepts connections (Centrifugo's shape). */
public final class HealthEndpoint implements HttpEndpoint {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public void handle(HttpExchange exchange) {
        exchange.respond(HttpResponses.json(HttpResponseStatus.OK, BODY));
    }
}
