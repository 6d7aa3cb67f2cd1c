package dev.weft.server.websocket;

import dev.weft.protocol.ProtocolType;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.OriginPolicy;
import io.netty.handler.codec.http.HttpMethod;

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
 * <p><b>Checks before upgrading</b> ({@link WebSocketUpgrade}): not an upgrade → 400; Origin refused by
 * {@link OriginPolicy} → 403; WebSocket version other than 13 → 426. Each refusal is logged.
 *
 * <p><b>After upgrading</b> the pipeline is {@link WebSocketUpgrade}'s, with {@code messageSizeLimit}.
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
public final class WebSocketEndpoint implements HttpEndpoint {
    public static final String PATH = "/connection/websocket";
    static final String JSON_SUBPROTOCOL = "centrifuge-json";
    static final String PROTOBUF_SUBPROTOCOL = "centrifuge-protobuf";


    private final SessionFactory sessions;
    private final OriginPolicy origins;
    private final long queueMaxSize;
    private final WebSocketUpgrade upgrade;
    /** Request headers the engine gets to see (lower-case). */
    private final List<String> forwardedHeaders;

    /**
     * @param messageSizeLimit largest message (bytes) a client may send ({@code websocket.message_size_limit})
     * @param queueMaxSize     per-connection write queue bound ({@code client.queue_max_size})
     */
    public WebSocketEndpoint(SessionFactory sessions, OriginPolicy origins, int messageSizeLimit,
                             long queueMaxSize) {
        this.sessions = sessions;
        this.origins = origins;
        this.queueMaxSize = queueMaxSize;
        this.forwardedHeaders = Stream.concat(sessions.forwardedHeaders().stream(),
                Stream.of("sec-websocket-protocol")).toList();
        this.upgrade = new WebSocketUpgrade(PATH, JSON_SUBPROTOCOL + "," + PROTOBUF_SUBPROTOCOL, messageSizeLimit,
                "websocket.message_size_limit");
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (!WebSocketUpgrade.mayUpgrade(exchange, origins)) {
            return;
        }
        WebSocketUpgrade.Started started = upgrade.start(exchange);
        if (started == null) {
            return;
        }
        ProtocolType protocol = protocolType(exchange.queryParameter("format"),
                exchange.queryParameter("cf_protocol"), started.subprotocol());
        WebSocketTransport transport = new WebSocketTransport(started.channel(), protocol, exchange.remoteAddress(),
                ForwardedHeaders.select(exchange.request().headers(), forwardedHeaders), queueMaxSize);
        upgrade.install(exchange, started, transport, sessions);
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
