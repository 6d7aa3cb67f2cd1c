package dev.weft.server.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;
import java.util.function.Consumer;

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

    /**
     * {@code endpoint} with {@code front} in front of it: the same methods, every exchange handed to
     * {@code front}, which passes it on to {@code endpoint} or answers it itself. A {@link DisabledEndpoint} is
     * returned as it is: it answers nothing worth guarding.
     */
    static HttpEndpoint guarded(HttpEndpoint endpoint, Consumer<HttpExchange> front) {
        if (endpoint instanceof DisabledEndpoint) {
            return endpoint;
        }
        return new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return endpoint.methods();
            }

            @Override
            public void handle(HttpExchange exchange) {
                front.accept(exchange);
            }
        };
    }
}
