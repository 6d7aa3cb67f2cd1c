package dev.weft.server.websocket;

import dev.weft.core.limits.LogThrottle;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import dev.weft.server.http.OriginPolicy;
import dev.weft.server.http.RequestDeadlineHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The WebSocket mechanics the endpoints share: the RFC 6455 handshake (version other than 13 → 426, a broken
 * handshake → 400, each logged) and, once the endpoint has its transport, the frame pipeline in place of the
 * HTTP router: frame decoder (at most {@code messageSizeLimit} per frame, no extensions, UTF-8 checked) →
 * {@link WebSocketControlHandler} → continuation aggregation (same limit per message) →
 * {@link WebSocketSessionHandler}.
 *
 * <p>Immutable, thread-safe; the methods run on the event loop, inside {@code HttpEndpoint.handle}.
 */
public final class WebSocketUpgrade {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private final WebSocketServerHandshakerFactory handshakers;
    private final int messageSizeLimit;
    private final String limitOption;
    /** A client that reconnects and resends its oversized message is logged once a second, not each time. */
    private final LogThrottle oversizeLog = new LogThrottle(Duration.ofSeconds(1));

    /**
     * @param path             the endpoint's path (for the handshake's location)
     * @param subprotocols     comma-separated subprotocols the server may select, or null for none
     * @param messageSizeLimit largest message (bytes) a client may send
     * @param limitOption      the option that sets it, named in the log line when a client exceeds it
     */
    public WebSocketUpgrade(String path, String subprotocols, int messageSizeLimit, String limitOption) {
        this.messageSizeLimit = messageSizeLimit;
        this.limitOption = limitOption;
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(messageSizeLimit)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(false) // WebSocketSessionHandler closes, with our reason text
                .withUTF8Validator(true)
                .build();
        this.handshakers = new WebSocketServerHandshakerFactory(path, subprotocols, decoder);
    }

    /**
     * The checks before any upgrade work: not an upgrade → 400, an {@code Origin} {@code origins} refuses →
     * 403, each answered and logged. True when the request may go on to {@link #start}.
     */
    public static boolean mayUpgrade(HttpExchange exchange, OriginPolicy origins) {
        HttpHeaders headers = exchange.request().headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "not a WebSocket upgrade (no Upgrade: websocket)");
            return false;
        }
        String refusal = origins.refusal(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST));
        if (refusal != null) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, refusal);
            return false;
        }
        return true;
    }

    /** An upgrade under way: the handshake response is being written. */
    public record Started(Channel channel, ChannelFuture handshake, String subprotocol) {
    }

    /** Writes the handshake response; null when the request was refused instead (answered and logged). */
    public Started start(HttpExchange exchange) {
        WebSocketServerHandshaker handshaker = handshakers.newHandshaker(exchange.request());
        if (handshaker == null) {
            FullHttpResponse response = HttpResponses.status(HttpResponseStatus.UPGRADE_REQUIRED);
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketVersion.V13.toHttpHeaderValue());
            log.info("refused GET {} from {}: 426 (unsupported WebSocket version {})", exchange.path(),
                    exchange.remoteAddress(), exchange.request().headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
            exchange.respond(response);
            return null;
        }
        Channel channel = exchange.context().channel();
        try {
            ChannelFuture handshake = handshaker.handshake(channel, exchange.request());
            return new Started(channel, handshake, handshaker.selectedSubprotocol());
        } catch (WebSocketServerHandshakeException e) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "bad WebSocket handshake: " + e.getMessage());
            return null;
        }
    }

    private static void removeIfPresent(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
        ChannelHandler handler = pipeline.get(type);
        if (handler != null) {
            pipeline.remove(handler);
        }
    }

    /** Puts the frame handlers for {@code transport} and its session in place of the HTTP router. */
    public void install(HttpExchange exchange, Started upgrade, WebSocketTransport transport,
                        SessionFactory sessions) {
        Channel channel = upgrade.channel();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove(exchange.context().handler()); // the router: no more HTTP on this connection
        // HTTP-only handlers that would otherwise see every message: the request deadline (its job ended
        // with the 101), and flush consolidation (WebSocketOutbox flushes once per burst already; consolidating
        // again would cost a task per flush)
        removeIfPresent(pipeline, RequestDeadlineHandler.class);
        removeIfPresent(pipeline, FlushConsolidationHandler.class);
        pipeline.addLast("ws-control", new WebSocketControlHandler(transport));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(messageSizeLimit));
        pipeline.addLast("ws-session", new WebSocketSessionHandler(transport, sessions, messageSizeLimit,
                limitOption, oversizeLog));
        upgrade.handshake().addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("WebSocket handshake with {} failed: {}", transport.remoteAddress(), f.cause().toString());
                channel.close();
            }
        });
        log.debug("{} from {} open (subprotocol {})", transport.name(), transport.remoteAddress(),
                upgrade.subprotocol());
    }
}
