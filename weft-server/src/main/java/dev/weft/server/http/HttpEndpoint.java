package dev.weft.server.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * One HTTP path's behaviour, mounted on the {@link HttpRouter}. The router has already checked the path and
 * the method against {@link #methods()}.
 *
 * <p>{@link #handle} runs on the connection's event loop and must not block; it either answers through
 * {@link HttpExchange#respond} (now or later, from any thread) or takes the connection over (a protocol
 * upgrade removes the router from the pipeline).
 */
public interface HttpEndpoint {

    /** Methods this endpoint answers; any other gets 405 with an {@code Allow} header. */
    Set<HttpMethod> methods();

    void handle(HttpExchange exchange);
}
