package dev.weft.server.emulation;

import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * An endpoint that opens session streams: answers preflights and refuses disallowed origins (through
 * {@link SessionStreams#admit}) before the subclass reads the connect request.
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
abstract sealed class SessionStreamEndpoint implements HttpEndpoint
        permits HttpStreamEndpoint, SseConnectionEndpoint {
    protected final SessionStreams streams;
    protected final int maxRequestBodySize;
    private final Set<HttpMethod> methods;

    SessionStreamEndpoint(SessionStreams streams, int maxRequestBodySize, Set<HttpMethod> methods) {
        this.streams = streams;
        this.maxRequestBodySize = maxRequestBodySize;
        this.methods = Set.copyOf(methods);
    }

    @Override
    public final Set<HttpMethod> methods() {
        return methods;
    }

    @Override
    public final void handle(HttpExchange exchange) {
        if (streams.admit(exchange, methods)) {
            open(exchange);
        }
    }

    /** Reads the connect request and opens the stream, or refuses (the origin is allowed). */
    abstract void open(HttpExchange exchange);
}
