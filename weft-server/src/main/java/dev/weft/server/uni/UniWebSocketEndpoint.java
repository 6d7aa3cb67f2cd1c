package dev.weft.server.uni;

import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.OriginPolicy;
import dev.weft.server.http.TokenExtractor;
import dev.weft.server.stream.DisconnectResponses;
import dev.weft.server.websocket.SessionFactory;
import dev.weft.server.websocket.WebSocketKeepAlive;
import dev.weft.server.websocket.WebSocketTransport;
import dev.weft.server.websocket.WebSocketUpgrade;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;

/**
 * {@code uni_websocket}: Centrifugo's one-way WebSocket. The client sends its connect request once — in the
 * {@code cf_connect} query parameter (Centrifugo v6.3+) or as its first message — and then only listens: one
 * bare JSON push per text message ({@code connect} first, then {@code pub}, {@code join}, …, {@code {}} as
 * ping every {@code client.ping_interval}, next to a WebSocket ping frame — {@link WebSocketKeepAlive} closes
 * a connection that answers none). JSON only, as in Centrifugo. Later messages from the client are
 * ignored; a client that sends no connect request within {@code client.stale_close_delay} is closed (3502).
 *
 * <p><b>Refusals.</b> Before upgrading, as HTTP: not an upgrade → 400, {@code Origin} refused → 403, a
 * {@code cf_connect} that is not a JSON connect request → 400 with the disconnect as JSON body. After
 * upgrading, with the {@code disconnect} push (unless {@code disable_disconnect_push}) and then the close
 * frame carrying the code and reason: bad first message → 3501, bad token → 3500, forbidden channel → 3507.
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
public final class UniWebSocketEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(UniWebSocketEndpoint.class);

    private final SessionFactory sessions;
    private final OriginPolicy origins;
    private final TokenExtractor tokens;
    private final long queueMaxSize;
    private final boolean disconnectPush;
    private final Duration pingInterval;
    private final WebSocketUpgrade upgrade;

    /**
     * @param path             where the endpoint is mounted ({@code uni_websocket.handler_prefix})
     * @param messageSizeLimit largest message a client may send ({@code uni_websocket.message_size_limit})
     * @param disconnectPush   send the disconnect as a push before the close frame
     * @param pingInterval     how often to send WebSocket ping frames ({@code client.ping_interval}); zero for none
     */
    public UniWebSocketEndpoint(String path, SessionFactory sessions, OriginPolicy origins, TokenExtractor tokens,
                                int messageSizeLimit, long queueMaxSize, boolean disconnectPush,
                                Duration pingInterval) {
        this.sessions = sessions;
        this.origins = origins;
        this.tokens = tokens;
        this.queueMaxSize = queueMaxSize;
        this.disconnectPush = disconnectPush;
        this.pingInterval = pingInterval;
        this.upgrade = new WebSocketUpgrade(path, null, messageSizeLimit, "uni_websocket.message_size_limit");
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpHeaders headers = exchange.request().headers();
        if (!WebSocketUpgrade.mayUpgrade(exchange, origins)) {
            return;
        }
        String requestToken;
        try {
            requestToken = UniConnect.requestToken(tokens, headers);
        } catch (TokenExtractor.CrossSiteCookie e) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, e.getMessage());
            return;
        }
        ConnectRequest inUrl = null;
        String parameter = exchange.queryParameter(UniConnect.PARAMETER);
        if (parameter != null) {
            try {
                inUrl = UniConnect.withRequestToken(UniConnect.parse(parameter), requestToken);
            } catch (ProtocolDecodeException e) {
                log.info("refused GET {} from {}: 400 (malformed connect request in cf_connect: {})",
                        exchange.path(), exchange.remoteAddress(), e.getMessage());
                exchange.respond(DisconnectResponses.of(HttpResponseStatus.BAD_REQUEST,
                        new Disconnect(DisconnectCode.BAD_REQUEST.code(),
                                "bad request: cf_connect is not a JSON connect request", false)));
                return;
            }
        }
        WebSocketUpgrade.Started started = upgrade.start(exchange);
        if (started == null) {
            return;
        }
        WebSocketTransport transport = WebSocketTransport.unidirectional(started.channel(), exchange.remoteAddress(),
                ForwardedHeaders.select(headers, sessions.forwardedHeaders()), queueMaxSize, disconnectPush);
        ConnectRequest fromUrl = inUrl;
        upgrade.install(exchange, started, transport,
                t -> new FirstMessageConnect(sessions.open(t), t, fromUrl, requestToken));
        if (pingInterval.isPositive()) {
            started.channel().pipeline().addBefore("ws-control", "ws-keepalive",
                    new WebSocketKeepAlive(transport, pingInterval));
        }
    }

    /**
     * Turns the engine session into a one-way one: connects with the URL's request at once, or with the first
     * message; ignores every later message.
     *
     * <p>Event-loop only (the WebSocket session handler calls it).
     */
    private static final class FirstMessageConnect implements SessionFactory.Session {
        private final SessionFactory.Session session;
        private final Transport transport;
        private final String requestToken;
        private boolean connected;

        FirstMessageConnect(SessionFactory.Session session, Transport transport, ConnectRequest fromUrl,
                            String requestToken) {
            this.session = session;
            this.transport = transport;
            this.requestToken = requestToken;
            if (fromUrl != null) {
                connect(fromUrl);
            }
        }

        @Override
        public void handleFrame(byte[] frame) {
            if (connected) {
                return; // a one-way client has nothing to say after connecting; Centrifugo drops it too
            }
            try {
                connect(UniConnect.withRequestToken(UniConnect.parse(frame), requestToken));
            } catch (ProtocolDecodeException e) {
                log.info("closing uni_websocket from {}: malformed connect request: {}", transport.remoteAddress(),
                        e.getMessage());
                connected = true;
                transport.close(DisconnectCode.BAD_REQUEST.disconnect());
            }
        }

        private void connect(ConnectRequest request) {
            connected = true;
            session.connectUnidirectional(request, UniConnect.channels(request));
        }

        @Override
        public void handleTransportClosed() {
            session.handleTransportClosed();
        }
    }
}
