package dev.weft.server.http;

import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pipeline of a new connection: flush consolidation (many small pushes, fewer syscalls), then
 * <ul>
 *   <li>plain: HTTP/1.1 codec → bounded aggregation → {@link RequestDeadlineHandler} (a complete request
 *       must arrive in time) → {@link HttpRouter};</li>
 *   <li>with TLS: the TLS handler, then by ALPN either HTTP/2 ({@code h2}, {@link Http2Pipelines}: one
 *       router per stream) or the HTTP/1.1 handlers above;</li>
 *   <li>cleartext with h2c: HTTP/2 by prior knowledge or {@code Upgrade: h2c}, otherwise HTTP/1.1.</li>
 * </ul>
 * A WebSocket upgrade later swaps the HTTP/1.1 handlers for frame handlers (WebSocket runs over HTTP/1.1).
 */
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private static final Logger log = LoggerFactory.getLogger(HttpChannelInitializer.class);

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
    private final SslContext tls;
    private final boolean h2c;
    private final HttpConnectionLimits limits;
    private final RefusalCounters refusals;
    private final Http2Pipelines http2;

    /** Plain HTTP/1.1, no request deadline. */
    public HttpChannelInitializer(Map<String, HttpEndpoint> endpoints, Consumer<Channel> onOpen) {
        this(endpoints, onOpen, null, false, HttpConnectionLimits.DEFAULT, new RefusalCounters());
    }

    /**
     * @param endpoints       by exact path
     * @param onOpen          told about every accepted connection (the server tracks them to close on shutdown)
     * @param tls             TLS for every connection (HTTP/2 or HTTP/1.1 by ALPN), or null for cleartext
     * @param h2c             for cleartext: also accept HTTP/2 (prior knowledge, {@code Upgrade: h2c})
     * @param limits          request deadline, idle timeout and HTTP/2 streams ({@link RequestDeadlineHandler},
     *                        {@link Http2Pipelines}; TLS handshakes have their own 10 s limit)
     * @param refusals        where connections closed for missing a deadline are counted
     */
    public HttpChannelInitializer(Map<String, HttpEndpoint> endpoints, Consumer<Channel> onOpen, SslContext tls,
                                  boolean h2c, HttpConnectionLimits limits, RefusalCounters refusals) {
        this.endpoints = Map.copyOf(endpoints);
        this.onOpen = onOpen;
        this.tls = tls;
        this.h2c = h2c;
        this.limits = limits;
        this.refusals = refusals;
        this.http2 = new Http2Pipelines(this.endpoints, MAX_REQUEST_BODY, limits, refusals);
    }

    @Override
    protected void initChannel(Channel ch) {
        onOpen.accept(ch);
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        if (tls != null) {
            pipeline.addLast("tls", tls.newHandler(ch.alloc()));
            pipeline.addLast("alpn", new AlpnSelector());
        } else if (h2c) {
            pipeline.addLast("h2c", http2.cleartext(List.of("aggregator", "deadline", "router")));
            http1AfterCodec(pipeline);
        } else {
            pipeline.addLast("http", http1Codec());
            http1AfterCodec(pipeline);
        }
    }

    /** The HTTP/1.1 codec, with a request line long enough for a JWT in {@code cf_connect}. */
    static HttpServerCodec http1Codec() {
        return new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE);
    }

    private void http1AfterCodec(ChannelPipeline pipeline) {
        pipeline.addLast("aggregator", new BoundedHttpAggregator(MAX_REQUEST_BODY))
                .addLast("deadline", new RequestDeadlineHandler(limits.requestDeadline(), limits.idleTimeout(),
                        refusals))
                .addLast("router", new HttpRouter(endpoints));
    }

    /** After the TLS handshake: HTTP/2 or HTTP/1.1, as the client and ALPN agreed (HTTP/1.1 without ALPN). */
    private final class AlpnSelector extends ApplicationProtocolNegotiationHandler {
        AlpnSelector() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                http2.http2(ctx.pipeline());
            } else {
                ctx.pipeline().addLast("http", http1Codec());
                http1AfterCodec(ctx.pipeline());
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TLS handshake with {} failed: {}", HttpExchange.format(ctx.channel().remoteAddress()),
                    cause.toString());
            ctx.close();
        }
    }
}
