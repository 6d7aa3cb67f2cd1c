package dev.weft.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Pipeline of a new connection: flush consolidation (many small pushes, fewer syscalls) → HTTP codec →
 * bounded aggregation → {@link HttpRouter}. A WebSocket upgrade later swaps the HTTP handlers for frame
 * handlers.
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    /** Largest request body accepted (server API); a bigger one gets 413. */
    public static final int MAX_REQUEST_BODY = 1024 * 1024;
    /**
     * Longest request line. Netty's default (4 KiB) is too short for SSE, whose connect command (with a JWT)
     * travels in the {@code cf_connect} query parameter; this is the default {@code sse.max_request_body_size}.
     */
    public static final int MAX_REQUEST_LINE = 64 * 1024;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;

    private final Map<String, HttpEndpoint> endpoints;
    private final Consumer<Channel> onOpen;

    /**
     * @param endpoints by exact path
     * @param onOpen    told about every accepted connection (the server tracks them to close on shutdown)
     */
    public HttpChannelInitializer(Map<String, HttpEndpoint> endpoints, Consumer<Channel> onOpen) {
        this.endpoints = Map.copyOf(endpoints);
        this.onOpen = onOpen;
    }

    @Override
    protected void initChannel(Channel ch) {
        onOpen.accept(ch);
        ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                .addLast("http", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                .addLast("aggregator", new BoundedHttpAggregator(MAX_REQUEST_BODY))
                .addLast("router", new HttpRouter(endpoints));
    }
}
