package dev.weft.server.api.openapi;

import com.fasterxml.jackson.core.JacksonException;
import dev.weft.server.api.ApiJson;
import dev.weft.server.api.ApiMethods;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;

/**
 * {@code GET /api/openapi.json}: the API's OpenAPI document, built once. Served without a key whenever the
 * API is on: it describes Centrifugo's public API shapes and holds nothing from the configuration, and API
 * tooling (Swagger UI, client generators) fetches it without credentials. Thread-safe (immutable).
 */
public final class OpenApiEndpoint implements HttpEndpoint {
    private final byte[] document;

    public OpenApiEndpoint(ApiMethods methods, String version) {
        try {
            this.document = ApiJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(OpenApiDocument.build(methods, version));
        } catch (JacksonException e) {
            throw new IllegalStateException("the OpenAPI tree always serializes", e);
        }
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public void handle(HttpExchange exchange) {
        exchange.respond(HttpResponses.json(HttpResponseStatus.OK, document));
    }
}
