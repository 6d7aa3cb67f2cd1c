package dev.weft.server.uni;

import dev.weft.core.transport.PushFormats;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.TokenExtractor;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.DisconnectResponses;
import dev.weft.server.stream.StreamFraming;
import dev.weft.server.websocket.SessionFactory;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Centrifugo's one-way HTTP transports: {@code uni_sse} ({@code GET} with the connect request in the
 * {@code cf_connect} query parameter, or {@code POST} with it as body; every push is one SSE event,
 * {@code data: <push JSON>}) and {@code uni_http_stream} ({@code POST} with the connect request as body; one
 * push JSON per line of a chunked response). Pushes are Centrifugo's bare {@code Push} objects: {@code connect}
 * first, then {@code pub}, {@code join}, …, the empty push {@code {}} as ping every
 * {@code client.ping_interval}, and {@code disconnect} last when the server ends the stream.
 *
 * <p><b>Refusals</b> are HTTP statuses with the disconnect as a JSON body ({@link DisconnectResponses}),
 * never a 200 stream that ends at once: a {@code cf_connect} or body that is not a JSON connect request → 400;
 * a body over {@code max_request_body_size} → 413; an {@code Origin} that {@code client.allowed_origins}
 * refuses → 403; then what the engine decides (bad token 401, forbidden channel 403, unknown channel 400, …).
 * Each refusal is logged with its reason.
 *
 * <p><b>CORS</b> ({@link CorsPolicy}): a request from an allowed {@code Origin} gets
 * {@code Access-Control-Allow-Origin} with credentials, and {@code OPTIONS} preflights are answered, so a page
 * on another origin can use {@code fetch} or {@code EventSource} (as Centrifugo uses
 * {@code client.allowed_origins} for its HTTP transports).
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and never blocks.
 */
public final class UniStreamEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(UniStreamEndpoint.class);

    private final String name;
    private final Set<HttpMethod> methods;
    private final StreamFraming framing;
    private final SessionFactory sessions;
    private final CorsPolicy cors;
    private final TokenExtractor tokens;
    private final int maxRequestBodySize;
    private final long queueMaxSize;

    private UniStreamEndpoint(String name, Set<HttpMethod> methods, StreamFraming framing, SessionFactory sessions,
                              CorsPolicy cors, TokenExtractor tokens, int maxRequestBodySize,
                              long queueMaxSize) {
        this.name = name;
        this.methods = methods;
        this.framing = framing;
        this.sessions = sessions;
        this.cors = cors;
        this.tokens = tokens;
        this.maxRequestBodySize = maxRequestBodySize;
        this.queueMaxSize = queueMaxSize;
    }

    /** {@code uni_sse}: GET ({@code cf_connect}) or POST (body), SSE events. */
    public static UniStreamEndpoint sse(SessionFactory sessions, CorsPolicy cors, TokenExtractor tokens,
                                        int maxRequestBodySize, long queueMaxSize) {
        return new UniStreamEndpoint("uni_sse", Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS),
                StreamFraming.SSE, sessions, cors, tokens, maxRequestBodySize, queueMaxSize);
    }

    /** {@code uni_http_stream}: POST (body), newline-delimited JSON. */
    public static UniStreamEndpoint httpStream(SessionFactory sessions, CorsPolicy cors, TokenExtractor tokens,
                                               int maxRequestBodySize, long queueMaxSize) {
        return new UniStreamEndpoint("uni_http_stream", Set.of(HttpMethod.POST, HttpMethod.OPTIONS),
                StreamFraming.NEWLINE_DELIMITED, sessions, cors, tokens, maxRequestBodySize, queueMaxSize);
    }

    @Override
    public Set<HttpMethod> methods() {
        return methods;
    }

    @Override
    public void handle(HttpExchange exchange) {
        HttpHeaders headers = exchange.request().headers();
        if (exchange.method().equals(HttpMethod.OPTIONS)) {
            cors.preflight(exchange, methods);
            return;
        }
        String origin = CorsPolicy.origin(headers);
        String originRefusal = cors.refusal(headers);
        if (originRefusal != null) {
            refuse(exchange, null, HttpResponseStatus.FORBIDDEN, DisconnectCode.BAD_REQUEST.disconnect(),
                    originRefusal);
            return;
        }
        ConnectRequest request = connectRequest(exchange, origin);
        if (request == null) {
            return;
        }
        if (request.token().isEmpty()) {
            try {
                request = UniConnect.withRequestToken(request, UniConnect.requestToken(tokens, headers));
            } catch (TokenExtractor.CrossSiteCookie e) {
                refuse(exchange, null, HttpResponseStatus.FORBIDDEN, DisconnectCode.BAD_REQUEST.disconnect(),
                        e.getMessage());
                return;
            }
        }

        Channel channel = exchange.startStream();
        ChunkedStreamTransport.Builder transport = ChunkedStreamTransport.builder(channel)
                .name(name)
                .protocol(ProtocolType.JSON)
                .unidirectional(true)
                .pushFormat(PushFormats.bare(ProtocolType.JSON))
                .framing(framing)
                .remoteAddress(exchange.remoteAddress())
                .headers(ForwardedHeaders.select(headers, sessions.forwardedHeaders()))
                .queueMaxSize(queueMaxSize);
        String remote = exchange.remoteAddress();
        transport.refusal(disconnect -> {
            log.info("refused {} {} from {}: {} ({} {})", exchange.method(), exchange.path(), remote,
                    DisconnectResponses.status(disconnect).code(), disconnect.code(), disconnect.reason());
            return withCors(DisconnectResponses.of(disconnect), origin);
        });
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.allow(origin, corsHeaders);
        corsHeaders.forEach(header -> transport.responseHeader(header.getKey(), header.getValue()));
        ChunkedStreamTransport stream = transport.build();
        SessionFactory.Session session;
        try {
            session = sessions.open(stream);
        } catch (RuntimeException e) {
            log.error("could not start a session for {} from {}", name, remote, e);
            stream.close(DisconnectCode.SERVER_ERROR.disconnect());
            return;
        }
        stream.onClosed(session::handleTransportClosed);
        session.connectUnidirectional(request, UniConnect.channels(request));
        log.debug("{} stream from {} open ({})", name, remote, exchange.isHttp2() ? "HTTP/2" : "HTTP/1.1");
    }

    /** The connect request of a GET ({@code cf_connect}) or POST (body, else {@code cf_connect}); null if refused. */
    private ConnectRequest connectRequest(HttpExchange exchange, String origin) {
        byte[] json = null;
        String source = UniConnect.PARAMETER;
        if (exchange.method().equals(HttpMethod.POST) && exchange.request().content().isReadable()) {
            int size = exchange.request().content().readableBytes();
            if (size > maxRequestBodySize) {
                refuse(exchange, origin, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        DisconnectCode.BAD_REQUEST.disconnect(),
                        "body of " + size + " bytes over max_request_body_size " + maxRequestBodySize);
                return null;
            }
            json = ByteBufUtil.getBytes(exchange.request().content());
            source = "body";
        } else {
            String parameter = exchange.queryParameter(UniConnect.PARAMETER);
            if (parameter != null) {
                json = parameter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        try {
            return UniConnect.parse(json);
        } catch (ProtocolDecodeException e) {
            refuse(exchange, origin, HttpResponseStatus.BAD_REQUEST,
                    new Disconnect(DisconnectCode.BAD_REQUEST.code(), "bad request: " + source
                            + " is not a JSON connect request", false),
                    "malformed connect request in " + source + ": " + e.getMessage());
            return null;
        }
    }

    private void refuse(HttpExchange exchange, String origin, HttpResponseStatus status, Disconnect disconnect,
                        String reason) {
        log.info("refused {} {} from {}: {} ({})", exchange.method(), exchange.path(), exchange.remoteAddress(),
                status.code(), reason);
        exchange.respond(withCors(DisconnectResponses.of(status, disconnect), origin));
    }

    private FullHttpResponse withCors(FullHttpResponse response, String origin) {
        cors.allow(origin, response.headers());
        return response;
    }
}
