package dev.weft.server.websocket;

import dev.weft.protocol.ProtocolType;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code GET /connection/websocket}: the bidirectional client protocol over WebSocket, Centrifugo-compatible.
 *
 * <p><b>Format.</b> Protobuf when the query has {@code format=protobuf} or {@code cf_protocol=protobuf}, or the
 * client asked for the {@code centrifuge-protobuf} subprotocol (echoed back, as browsers require); JSON
 * otherwise ({@code centrifuge-json} is accepted and echoed too). This is what Centrifuge's
 * {@code handler_websocket.go} does and covers what the SDKs send: centrifuge-js's protobuf build and
 * centrifuge-java request the subprotocol, older SDKs and documented URLs use the query parameter.
 *
 * <p><b>Checks before upgrading.</b> Not an upgrade → 400; Origin refused by {@link OriginPolicy} → 403;
 * WebSocket version other than 13 → 426. Each refusal is logged.
 *
 * <p><b>After upgrading</b> the pipeline is: frame decoder (limit {@code messageSizeLimit} per frame, no
 * extensions) → {@link WebSocketControlHandler} → continuation aggregation (same limit per message) →
 * {@link WebSocketSessionHandler}.
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
public final class WebSocketEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);

    public static final String PATH = "/connection/websocket";
    static final String JSON_SUBPROTOCOL = "centrifuge-json";
    static final String PROTOBUF_SUBPROTOCOL = "centrifuge-protobuf";

    /** Request headers the engine gets to see (lower-case). */
    private static final List<String> FORWARDED_HEADERS = Stream.concat(ForwardedHeaders.COMMON.stream(),
            Stream.of("sec-websocket-protocol")).toList();

    private final SessionFactory sessions;
    private final OriginPolicy origins;
    private final int messageSizeLimit;
    private final long queueMaxSize;
    private final WebSocketServerHandshakerFactory handshakers;

    /**
     * @param messageSizeLimit largest message (bytes) a client may send ({@code websocket.message_size_limit})
     * @param queueMaxSize     per-connection write queue bound ({@code client.queue_max_size})
     */
    public WebSocketEndpoint(SessionFactory sessions, OriginPolicy origins, int messageSizeLimit,
                             long queueMaxSize) {
        this.sessions = sessions;
        this.origins = origins;
        this.messageSizeLimit = messageSizeLimit;
        this.queueMaxSize = queueMaxSize;
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(messageSizeLimit)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(false) // WebSocketSessionHandler closes, with our reason text
                .withUTF8Validator(true)
                .build();
        this.handshakers = new WebSocketServerHandshakerFactory(PATH,
                JSON_SUBPROTOCOL + "," + PROTOBUF_SUBPROTOCOL, decoder);
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        FullHttpRequest request = exchange.request();
        HttpHeaders headers = request.headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "not a WebSocket upgrade (no Upgrade: websocket)");
            return;
        }
        String originRefusal = origins.refusal(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST));
        if (originRefusal != null) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, originRefusal);
            return;
        }
        WebSocketServerHandshaker handshaker = handshakers.newHandshaker(request);
        if (handshaker == null) {
            FullHttpResponse response = HttpResponses.status(HttpResponseStatus.UPGRADE_REQUIRED);
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketVersion.V13.toHttpHeaderValue());
            log.info("refused GET {} from {}: 426 (unsupported WebSocket version {})", exchange.path(),
                    exchange.remoteAddress(), headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
            exchange.respond(response);
            return;
        }
        Channel channel = exchange.context().channel();
        ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(channel, request);
        } catch (WebSocketServerHandshakeException e) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "bad WebSocket handshake: " + e.getMessage());
            return;
        }
        ProtocolType protocol = protocolType(exchange.queryParameter("format"),
                exchange.queryParameter("cf_protocol"), handshaker.selectedSubprotocol());
        WebSocketTransport transport = new WebSocketTransport(channel, protocol, exchange.remoteAddress(),
                ForwardedHeaders.select(headers, FORWARDED_HEADERS), queueMaxSize);

        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove(exchange.context().handler()); // the router: no more HTTP on this connection
        pipeline.addLast("ws-control", new WebSocketControlHandler(transport));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(messageSizeLimit));
        pipeline.addLast("ws-session", new WebSocketSessionHandler(transport, sessions, messageSizeLimit));
        handshake.addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("WebSocket handshake with {} failed: {}", transport.remoteAddress(), f.cause().toString());
                channel.close();
            }
        });
        log.debug("WebSocket from {} open ({}, subprotocol {})", transport.remoteAddress(), protocol,
                handshaker.selectedSubprotocol());
    }

    /**
     * The client protocol format, chosen as Centrifuge does: the query ({@code format} or {@code cf_protocol}
     * = {@code protobuf}) or the negotiated subprotocol {@code centrifuge-protobuf} selects Protobuf.
     */
    static ProtocolType protocolType(String format, String cfProtocol, String selectedSubprotocol) {
        if ("protobuf".equals(format) || "protobuf".equals(cfProtocol)
                || PROTOBUF_SUBPROTOCOL.equals(selectedSubprotocol)) {
            return ProtocolType.PROTOBUF;
        }
        return ProtocolType.JSON;
    }
}
