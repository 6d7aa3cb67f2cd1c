package dev.weft.server.sse;

import dev.weft.core.CommandFailedException;
import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.server.config.PlainSseConfig;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.TokenExtractor;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.StreamFraming;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /sse/<channel>} and {@code GET /sse?channel=a&channel=b}: publications of one or more channels
 * as plain Server-Sent Events for any {@code EventSource} (format: {@link SseEventFormat}, ids:
 * {@link SseEventId}, stream: {@link SseTransport}).
 *
 * <p><b>Request.</b> Channels from the path (percent-decoded) and every {@code channel} query parameter, in
 * that order, without repeats. The connection token as {@link TokenExtractor} finds it: {@code Authorization:
 * Bearer …}, the {@code client.token_cookie_name} cookie, or the {@code token} query parameter (EventSource
 * cannot set headers). Resume positions from the {@code Last-Event-ID} header (what browsers send when they
 * reconnect), else the {@code lastEventId} query parameter (for the first connect after a page reload).
 *
 * <p><b>Checks, each answered with a JSON error and logged.</b> Origin not allowed by
 * {@code client.allowed_origins} → 403 (this also guards cookie tokens, which browsers attach to
 * cross-site requests); no channel, more channels than {@code client.channel_limit}, or a
 * {@code Last-Event-ID} that is not a Weft id → 400; a channel in an unknown namespace → 404; no token where
 * anonymous connections are not allowed → 401. Then the engine connects the session with the client's
 * subscribe permissions; its refusals become HTTP statuses ({@link SseRefusals}).
 *
 * <p><b>CORS.</b> {@link CorsPolicy}: an allowed Origin gets {@code Access-Control-Allow-Origin} (that origin)
 * with credentials, so {@code new EventSource(url, {withCredentials: true})} works across origins;
 * {@code OPTIONS} answers preflights (polyfills that send {@code Authorization} or {@code Last-Event-ID}).
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and never blocks.
 */
public final class SseEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SseEndpoint.class);

    /** Mounted exactly ({@code /sse?channel=…}). */
    public static final String PATH = "/sse";
    /** Mounted as a prefix ({@code /sse/<channel>}). */
    public static final String PREFIX = "/sse/";
    /** Positions accepted in one id; a longer one is refused rather than parsed. */
    static final int MAX_POSITIONS = 1024;
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.OPTIONS);

    private final Node node;
    private final CorsPolicy cors;
    private final TokenExtractor tokens;
    private final PlainSseConfig config;

    public SseEndpoint(Node node, CorsPolicy cors, TokenExtractor tokens, PlainSseConfig config) {
        this.node = node;
        this.cors = cors;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public Set<HttpMethod> methods() {
        return METHODS;
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (cors.answeredUpFront(exchange, METHODS)) {
            return;
        }
        Request request;
        try {
            request = parse(exchange);
        } catch (Refused r) {
            cors.refuse(exchange, CorsPolicy.origin(exchange.request().headers()), r.status, r.getMessage());
            return;
        }
        stream(exchange, request);
    }

    /** What one stream asks for. */
    private record Request(List<String> channels, Map<String, SseEventId.Position> positions, String token) {
    }

    private Request parse(HttpExchange exchange) throws Refused {
        Set<String> channels = new LinkedHashSet<>();
        if (exchange.path().startsWith(PREFIX) && exchange.path().length() > PREFIX.length()) {
            channels.add(exchange.path().substring(PREFIX.length()));
        }
        channels.addAll(exchange.queryParameters().getOrDefault("channel", List.of()));
        channels.remove("");
        if (channels.isEmpty()) {
            throw new Refused(HttpResponseStatus.BAD_REQUEST, "no channel: use /sse/<channel> or /sse?channel=<channel>");
        }
        int limit = node.config().client().channelLimit();
        if (limit > 0 && channels.size() > limit) {
            throw new Refused(HttpResponseStatus.BAD_REQUEST, channels.size() + " channels requested, "
                    + "client.channel_limit is " + limit);
        }
        for (String channel : channels) {
            try {
                node.rules().optionsFor(channel);
            } catch (CommandFailedException e) {
                throw e.error().code() == ErrorCode.UNKNOWN_CHANNEL.code()
                        ? new Refused(HttpResponseStatus.NOT_FOUND, "unknown channel '" + channel + "': " + e.getMessage())
                        : new Refused(HttpResponseStatus.BAD_REQUEST, "channel '" + channel + "': " + e.getMessage());
            }
        }
        String lastEventId = exchange.request().headers().get("Last-Event-ID");
        String source = "Last-Event-ID";
        if (lastEventId == null || lastEventId.isEmpty()) {
            lastEventId = exchange.queryParameter("lastEventId");
            source = "lastEventId";
        }
        Map<String, SseEventId.Position> positions = Map.of();
        if (lastEventId != null && !lastEventId.isEmpty()) {
            try {
                positions = SseEventId.parse(lastEventId, MAX_POSITIONS);
            } catch (IllegalArgumentException e) {
                throw new Refused(HttpResponseStatus.BAD_REQUEST, source + " is not an id this server sent: "
                        + e.getMessage());
            }
        }
        String token;
        try {
            token = tokens.extract(exchange, true).map(TokenExtractor.RequestToken::token).orElse("");
        } catch (TokenExtractor.CrossSiteCookie e) {
            throw new Refused(HttpResponseStatus.FORBIDDEN, e.getMessage());
        }
        var client = node.config().client();
        if (token.isEmpty() && !client.insecure() && !client.allowAnonymousConnectWithoutToken()) {
            throw new Refused(HttpResponseStatus.UNAUTHORIZED,
                    "a connection token is required: Authorization: Bearer <token> or ?token=<token>");
        }
        return new Request(List.copyOf(channels), positions, token);
    }

    private void stream(HttpExchange exchange, Request request) {
        Map<String, SubscribeRequest> subs = new LinkedHashMap<>();
        for (String channel : request.channels()) {
            subs.put(channel, position(channel, request.positions().get(channel)));
        }
        // Positions of channels the URL does not name may belong to server-side subscriptions from the
        // token; the transport refuses the stream if they turn out not to.
        request.positions().forEach((channel, p) -> subs.putIfAbsent(channel, position(channel, p)));
        ConnectRequest connect = new ConnectRequest(request.token(), null, subs, "", "", Map.of());

        HttpHeaders requestHeaders = exchange.request().headers();
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.allow(CorsPolicy.origin(requestHeaders), corsHeaders);
        SseRefusals refusals = new SseRefusals(corsHeaders, config.retry().toMillis());
        Channel channel = exchange.startStream();
        ChunkedStreamTransport.Builder builder = ChunkedStreamTransport.builder(channel)
                .name("sse")
                .unidirectional(true)
                .pushFormat(SseEventFormat.INSTANCE)
                .framing(StreamFraming.SSE_EVENTS)
                .remoteAddress(exchange.remoteAddress())
                .headers(ForwardedHeaders.select(requestHeaders, ForwardedHeaders.COMMON))
                .queueMaxSize(node.config().client().queueMaxSize())
                .refusal(refusals);
        corsHeaders.forEach(h -> builder.responseHeader(h.getKey(), h.getValue()));
        SseTransport transport = new SseTransport(builder.build(), channel.eventLoop(), config.heartbeatInterval(),
                config.retry(), new ArrayList<>(request.positions().values()), refusals);
        ClientSession session = node.connect(transport);
        channel.closeFuture().addListener(f -> session.handleTransportClosed());
        session.connectUnidirectional(connect, request.channels());
        log.debug("SSE stream from {} for {} (resuming {})", transport.remoteAddress(), request.channels(),
                request.positions().keySet());
    }

    /** Every SSE subscription is recoverable, so a gap ends the stream and the browser resumes. */
    private static SubscribeRequest position(String channel, SseEventId.Position p) {
        return p == null
                ? new SubscribeRequest(channel, "", false, "", 0, null, false, true, false)
                : new SubscribeRequest(channel, "", true, p.epoch(), p.offset(), null, false, true, false);
    }

    /** A check failed; carries the status. */
    private static final class Refused extends Exception {
        final transient HttpResponseStatus status;

        Refused(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
