package dev.weft.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;

import java.util.Collection;
import java.util.Map;

/**
 * HTTP/2 for the router: every stream of a connection becomes a child channel with its own HTTP/1-style
 * pipeline (stream frames ↔ HTTP objects → bounded aggregation → {@link HttpRouter}), so endpoints serve
 * HTTP/2 unchanged and a browser can hold many SSE and streaming responses over one connection instead of six.
 *
 * <p>Settings: at most {@value #MAX_CONCURRENT_STREAMS} concurrent streams per connection (Go's default,
 * which Centrifugo serves with); a closing connection lets open streams finish for
 * {@value #GRACEFUL_SHUTDOWN_MILLIS} ms (the engine ends them sooner on shutdown).
 *
 * <p>Stateless; each call builds new per-connection handlers.
 */
final class Http2Pipelines {
    static final int MAX_CONCURRENT_STREAMS = 250;
    static final long GRACEFUL_SHUTDOWN_MILLIS = 5_000;

    private Http2Pipelines() {
    }

    /** Appends the HTTP/2 connection handlers (after ALPN chose {@code h2}, or for prior knowledge). */
    static void http2(ChannelPipeline pipeline, Map<String, HttpEndpoint> endpoints, int maxRequestBody) {
        pipeline.addLast("h2", frameCodec());
        pipeline.addLast("h2-streams", multiplexer(endpoints, maxRequestBody));
    }

    /**
     * Cleartext connections that may speak HTTP/2 (h2c): the first bytes decide. The HTTP/2 preface (prior
     * knowledge) switches to {@link #http2}; anything else is HTTP/1.1, where a request with
     * {@code Upgrade: h2c} moves the connection to HTTP/2 (and is answered on stream 1) and every other
     * request, WebSocket upgrades included, goes to {@code http1Handlers} (removed on a switch to HTTP/2).
     *
     * @param http1Handlers names of the handlers after the HTTP/1.1 codec, in the pipeline already
     */
    static ChannelHandler cleartext(Map<String, HttpEndpoint> endpoints, int maxRequestBody,
                                    Collection<String> http1Handlers) {
        HttpServerCodec codec = HttpChannelInitializer.http1Codec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new H2cUpgrade(endpoints, maxRequestBody, http1Handlers) : null, maxRequestBody);
        ChannelHandler priorKnowledge = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                http1Handlers.forEach(ch.pipeline()::remove);
                http2(ch.pipeline(), endpoints, maxRequestBody);
            }
        };
        return new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge);
    }

    private static Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS)
                .validateHeaders(true)
                .build();
    }

    private static Http2MultiplexHandler multiplexer(Map<String, HttpEndpoint> endpoints, int maxRequestBody) {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline()
                        .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true))
                        .addLast("aggregator", new BoundedHttpAggregator(maxRequestBody))
                        .addLast("router", new HttpRouter(endpoints));
            }
        });
    }

    /** {@code Upgrade: h2c}: Netty's upgrade, then the HTTP/1.1 handlers leave the connection. */
    private static final class H2cUpgrade implements HttpServerUpgradeHandler.UpgradeCodec {
        private final Http2ServerUpgradeCodec delegate;
        private final Collection<String> http1Handlers;

        H2cUpgrade(Map<String, HttpEndpoint> endpoints, int maxRequestBody, Collection<String> http1Handlers) {
            this.delegate = new Http2ServerUpgradeCodec(frameCodec(), multiplexer(endpoints, maxRequestBody));
            this.http1Handlers = http1Handlers;
        }

        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return delegate.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest,
                                              io.netty.handler.codec.http.HttpHeaders upgradeHeaders) {
            return delegate.prepareUpgradeResponse(ctx, upgradeRequest, upgradeHeaders);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest) {
            delegate.upgradeTo(ctx, upgradeRequest);
            http1Handlers.forEach(ctx.pipeline()::remove);
        }
    }
}
