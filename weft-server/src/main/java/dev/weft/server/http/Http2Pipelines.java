package dev.weft.server.http;

import dev.weft.core.limits.RefusalCounters;
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
 * pipeline (stream frames ↔ HTTP objects → bounded aggregation → {@link RequestDeadlineHandler} →
 * {@link HttpRouter}), so endpoints serve HTTP/2 unchanged and a browser can hold many SSE and streaming
 * responses over one connection instead of six.
 *
 * <p>Bounds, as on HTTP/1.1 ({@link HttpConnectionLimits}): at most {@code maxConcurrentStreams} streams at
 * once (SETTINGS; more are refused with {@code REFUSED_STREAM}); a stream whose request is not complete within
 * the request deadline is reset; a connection without streams is closed after the idle timeout
 * ({@link Http2IdleTimeout}). A closing connection lets open streams finish for
 * {@value #GRACEFUL_SHUTDOWN_MILLIS} ms (the engine ends them sooner on shutdown).
 *
 * <p>Immutable; each call builds new per-connection handlers.
 */
final class Http2Pipelines {
    static final long GRACEFUL_SHUTDOWN_MILLIS = 5_000;

    private final Map<String, HttpEndpoint> endpoints;
    private final int maxRequestBody;
    private final HttpConnectionLimits limits;
    private final RefusalCounters refusals;

    Http2Pipelines(Map<String, HttpEndpoint> endpoints, int maxRequestBody, HttpConnectionLimits limits,
                   RefusalCounters refusals) {
        this.endpoints = endpoints;
        this.maxRequestBody = maxRequestBody;
        this.limits = limits;
        this.refusals = refusals;
    }

    /** Appends the HTTP/2 connection handlers (after ALPN chose {@code h2}, or for prior knowledge). */
    void http2(ChannelPipeline pipeline) {
        Http2FrameCodec codec = frameCodec();
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-idle", idleTimeout(codec));
        pipeline.addLast("h2-streams", multiplexer());
    }

    /**
     * Cleartext connections that may speak HTTP/2 (h2c): the first bytes decide. The HTTP/2 preface (prior
     * knowledge) switches to {@link #http2}; anything else is HTTP/1.1, where a request with
     * {@code Upgrade: h2c} moves the connection to HTTP/2 (and is answered on stream 1) and every other
     * request, WebSocket upgrades included, goes to {@code http1Handlers} (removed on a switch to HTTP/2, the
     * HTTP/1.1 request deadline with them: the HTTP/2 deadlines take over).
     *
     * @param http1Handlers names of the handlers after the HTTP/1.1 codec, in the pipeline already
     */
    ChannelHandler cleartext(Collection<String> http1Handlers) {
        HttpServerCodec codec = HttpChannelInitializer.http1Codec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new H2cUpgrade(http1Handlers) : null, maxRequestBody);
        ChannelHandler priorKnowledge = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                http1Handlers.forEach(ch.pipeline()::remove);
                http2(ch.pipeline());
            }
        };
        return new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge);
    }

    private Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(limits.maxConcurrentStreams()))
                .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS)
                .validateHeaders(true)
                .build();
    }

    private Http2IdleTimeout idleTimeout(Http2FrameCodec codec) {
        return new Http2IdleTimeout(codec.connection(), limits.idleTimeout(), refusals);
    }

    private Http2MultiplexHandler multiplexer() {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline()
                        .addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true))
                        .addLast("aggregator", new BoundedHttpAggregator(maxRequestBody))
                        .addLast("deadline", new RequestDeadlineHandler(limits.requestDeadline(),
                                limits.idleTimeout(), refusals))
                        .addLast("router", new HttpRouter(endpoints));
            }
        });
    }

    /** {@code Upgrade: h2c}: Netty's upgrade, then the HTTP/1.1 handlers leave the connection. */
    private final class H2cUpgrade implements HttpServerUpgradeHandler.UpgradeCodec {
        private final Http2FrameCodec codec = frameCodec();
        private final Http2ServerUpgradeCodec delegate = new Http2ServerUpgradeCodec(codec, multiplexer());
        private final Collection<String> http1Handlers;

        H2cUpgrade(Collection<String> http1Handlers) {
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
            ctx.pipeline().addAfter(ctx.pipeline().context(codec).name(), "h2-idle", idleTimeout(codec));
            http1Handlers.forEach(ctx.pipeline()::remove);
        }
    }
}
