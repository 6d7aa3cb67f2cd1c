package dev.weft.server.ai.reader;

import dev.weft.core.CommandFailedException;
import dev.weft.core.Node;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.client.ClientSession;
import dev.weft.core.transport.PushFormat;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.server.ai.AiStreamException;
import dev.weft.server.ai.AiStreams;
import dev.weft.server.ai.StreamIds;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import dev.weft.server.http.TokenExtractor;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.DisconnectResponses;
import dev.weft.server.stream.JsonObjects;
import dev.weft.server.stream.PushOnlyTransport;
import dev.weft.server.stream.StreamFraming;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The AI SDK's side of AI streams, UI message stream protocol v1 ({@code x-vercel-ai-ui-message-stream: v1},
 * {@code data: <part>} events, {@code data: [DONE]} at the end):
 *
 * <ul>
 *   <li>{@code GET /ai/streams/<id>}: the stream from its start (or, with {@code Last-Event-ID} / the
 *       {@code lastEventId} query parameter, from after that event), the text so far as one catch-up, then
 *       live; a stream that has ended is read whole while its channel's history keeps it. 404 for an unknown
 *       stream.</li>
 *   <li>{@code GET /ai/chat/<chat_id>/stream}: what {@code useChat({resume: true})} asks for — the chat's open
 *       stream replayed from its start, then live; 204 when the chat has none open.</li>
 *   <li>{@code POST /ai/streams/<id>/stop}: a reader stops the stream ({@link AiStreams#stop}).</li>
 * </ul>
 *
 * <p>Readers authenticate as {@code /sse} readers do: the connection token ({@link TokenExtractor}: bearer
 * header, cookie, {@code token} query parameter) and the subscribe permission of the stream's channel, checked
 * by the engine, which connects a one-way session on the channel for each reader ({@link AiStreamTransport}).
 * Refusals are HTTP statuses with a JSON body. CORS as {@code /sse}.
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and hands history reads to {@code executor}.
 */
public final class AiStreamEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(AiStreamEndpoint.class);
    /** Mounted as a prefix: {@code <id>} and {@code <id>/stop}. */
    public static final String STREAMS = "/ai/streams/";
    /** Mounted as a prefix: {@code <chat_id>/stream}. */
    public static final String CHATS = "/ai/chat/";
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS);
    private static final int PAGE = 1000;
    /** How the response ends when the engine closes it (shutdown, slow reader): an SSE comment. */
    private static final PushFormat END = new PushFormat() {
        @Override
        public byte[] encode(Push push, String epoch) {
            return push.body() instanceof Disconnect d
                    ? (": disconnect " + d.code() + " " + d.reason().replace('\n', ' ') + "\n\n")
                    .getBytes(StandardCharsets.UTF_8) : new byte[0];
        }

        @Override
        public byte[] ping() {
            return null;
        }
    };

    private final Node node;
    private final AiStreams streams;
    private final CorsPolicy cors;
    private final TokenExtractor tokens;
    private final Executor executor;

    public AiStreamEndpoint(Node node, AiStreams streams, CorsPolicy cors, TokenExtractor tokens, Executor executor) {
        this.node = node;
        this.streams = streams;
        this.cors = cors;
        this.tokens = tokens;
        this.executor = executor;
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
        HttpHeaders requestHeaders = exchange.request().headers();
        String origin = CorsPolicy.origin(requestHeaders);
        String path = exchange.path();
        boolean chat = path.startsWith(CHATS);
        String rest = path.substring(chat ? CHATS.length() : STREAMS.length());
        boolean stop = exchange.method().equals(HttpMethod.POST);
        if (chat ? stop || !rest.endsWith("/stream") : stop != rest.endsWith("/stop")) {
            cors.refuse(exchange, origin, HttpResponseStatus.NOT_FOUND,
                    "not GET /ai/streams/<id>, POST /ai/streams/<id>/stop or GET /ai/chat/<id>/stream");
            return;
        }
        String key = chat || stop ? rest.substring(0, rest.lastIndexOf('/')) : rest;
        String token;
        try {
            token = tokens.extract(exchange, true).map(TokenExtractor.RequestToken::token).orElse("");
        } catch (TokenExtractor.CrossSiteCookie e) {
            cors.refuse(exchange, origin, HttpResponseStatus.FORBIDDEN, e.getMessage());
            return;
        }
        var client = node.config().client();
        if (token.isEmpty() && !client.insecure() && !client.allowAnonymousConnectWithoutToken()) {
            cors.refuse(exchange, origin, HttpResponseStatus.UNAUTHORIZED,
                    "a connection token is required: Authorization: Bearer <token> or ?token=<token>");
            return;
        }
        if (stop) {
            stop(exchange, origin, key, token);
            return;
        }
        String lastEventId = chat ? null : requestHeaders.get("Last-Event-ID");
        if (!chat && (lastEventId == null || lastEventId.isEmpty())) {
            lastEventId = exchange.queryParameter("lastEventId");
        }
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.allow(origin, corsHeaders);
        Refusal refusal = new Refusal(corsHeaders);
        Channel channel = exchange.startStream();
        ChunkedStreamTransport.Builder builder = ChunkedStreamTransport.builder(channel)
                .name("ai_stream")
                .unidirectional(true)
                .pushFormat(END)
                .framing(StreamFraming.SSE_EVENTS)
                .remoteAddress(exchange.remoteAddress())
                .headers(ForwardedHeaders.select(requestHeaders, ForwardedHeaders.COMMON))
                .queueMaxSize(client.queueMaxSize())
                .refusal(refusal)
                .responseHeader("x-vercel-ai-ui-message-stream", "v1");
        corsHeaders.forEach(h -> builder.responseHeader(h.getKey(), h.getValue()));
        ChunkedStreamTransport out = builder.build();
        String resumeFrom = lastEventId;
        try {
            executor.execute(() -> open(out, channel, chat, key, resumeFrom, token, refusal));
        } catch (RejectedExecutionException e) {
            out.close(DisconnectCode.SHUTDOWN.disconnect());
        }
    }

    /** Virtual thread: find the stream, read the catch-up, subscribe the reader. */
    private void open(ChunkedStreamTransport out, Channel channel, boolean chat, String key, String lastEventId,
                      String token, Refusal refusal) {
        AiStreams.Located located;
        try {
            located = chat ? streams.activeInChat(key) : streams.locate(key);
        } catch (AiStreamException e) {
            refuse(out, refusal, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        } catch (CommandFailedException e) {
            refuse(out, refusal, HttpResponseStatus.NOT_FOUND, e.getMessage());
            return;
        }
        if (located == null) {
            if (chat) {
                refusal.set(HttpResponses.empty(HttpResponseStatus.NO_CONTENT));
                out.close(DisconnectCode.NOT_AVAILABLE.disconnect());
            } else {
                refuse(out, refusal, HttpResponseStatus.NOT_FOUND, "no stream " + key
                        + " (never created, or no longer in its channel's history)");
            }
            return;
        }
        StreamPosition start = new StreamPosition(located.start().offset() - 1, located.start().epoch());
        StreamPosition from = start;
        if (lastEventId != null && !lastEventId.isEmpty()) {
            from = resumePosition(lastEventId, start);
            if (from == null) {
                refuse(out, refusal, HttpResponseStatus.BAD_REQUEST, "Last-Event-ID '" + lastEventId
                        + "' is not a position of this stream");
                return;
            }
        }
        List<AiPartFormat.Part> catchUp = new ArrayList<>();
        StreamPosition live = catchUp(located, from, catchUp);
        AiStreamTransport transport = new AiStreamTransport(out, channel.eventLoop(), located.id(),
                streams.config().coalesceWindow(), streams.config().coalesceMaxSize(), catchUp, from.offset(),
                located.ended());
        ClientSession session = node.connect(transport);
        channel.closeFuture().addListener(f -> session.handleTransportClosed());
        SubscribeRequest subscribe = new SubscribeRequest(located.channel(), "", true, live.epoch(), live.offset(),
                null, false, true, false);
        session.connectUnidirectional(new ConnectRequest(token, null, Map.of(located.channel(), subscribe), "", "",
                Map.of()), List.of(located.channel()));
        log.debug("AI stream reader {} for {} from {} ({} parts caught up)", out.remoteAddress(), located.id(),
                from.offset(), catchUp.size());
    }

    /** Reads the stream's parts after {@code from} from history; returns where the subscription recovers from. */
    private StreamPosition catchUp(AiStreams.Located located, StreamPosition from, List<AiPartFormat.Part> parts) {
        StreamPosition at = from;
        while (true) {
            HistoryPage page = node.history(located.channel(), at, PAGE, false);
            if (!page.position().epoch().equals(at.epoch())) {
                return at; // the stream's history is gone: the subscription's recovery says so
            }
            for (Publication p : page.publications()) {
                AiPartFormat.Part part = AiPartFormat.part(p, at.epoch());
                at = new StreamPosition(p.offset(), at.epoch());
                if (part.stream().equals(located.id())) {
                    parts.add(part);
                }
            }
            if (page.publications().size() < PAGE) {
                return at;
            }
        }
    }

    /** {@code <offset>:<epoch>} of an event of this stream, or null. */
    private static StreamPosition resumePosition(String lastEventId, StreamPosition start) {
        int colon = lastEventId.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            long offset = Long.parseLong(lastEventId.substring(0, colon));
            String epoch = lastEventId.substring(colon + 1);
            return epoch.equals(start.epoch()) && offset >= start.offset() ? new StreamPosition(offset, epoch) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void refuse(ChunkedStreamTransport out, Refusal refusal, HttpResponseStatus status, String reason) {
        log.info("refused AI stream reader {}: {} ({})", out.remoteAddress(), status.code(), reason);
        refusal.set(HttpResponses.jsonError(status, reason));
        out.close(DisconnectCode.BAD_REQUEST.disconnect());
    }

    /** {@code POST /ai/streams/<id>/stop}: a reader of the stream's channel may stop it. */
    private void stop(HttpExchange exchange, String origin, String id, String token) {
        String channel;
        try {
            channel = StreamIds.parse(id).channel();
        } catch (AiStreamException e) {
            cors.refuse(exchange, origin, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.allow(origin, corsHeaders);
        ReaderCheck check = new ReaderCheck(exchange.remoteAddress());
        ClientSession session = node.connect(check);
        session.connectUnidirectional(new ConnectRequest(token, null, Map.of(channel,
                        new SubscribeRequest(channel, "", false, "", 0, null, false, false, false)), "", "", Map.of()),
                List.of(channel));
        check.result.orTimeout(5, TimeUnit.SECONDS).whenComplete((refused, failure) -> {
            session.handleTransportClosed();
            if (failure != null || refused != null) {
                Disconnect d = refused != null ? refused : DisconnectCode.SERVER_ERROR.disconnect();
                FullHttpResponse response = DisconnectResponses.of(d);
                response.headers().add(corsHeaders);
                exchange.refuse(response, "stop of " + id + " refused: " + d.reason());
                return;
            }
            executor.execute(() -> {
                FullHttpResponse response;
                try {
                    AiStreams.Status s = streams.stop(id, "stopped by a reader");
                    response = HttpResponses.json(HttpResponseStatus.OK, JsonObjects.object(g -> {
                        g.writeObjectFieldStart("result");
                        g.writeStringField("id", s.id());
                        g.writeStringField("state", s.state());
                        g.writeEndObject();
                    }));
                } catch (AiStreamException e) {
                    response = HttpResponses.jsonError(e.kind() == AiStreamException.Kind.NOT_FOUND
                            ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.BAD_REQUEST, e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("stop of AI stream {} failed", id, e);
                    response = HttpResponses.jsonError(HttpResponseStatus.SERVICE_UNAVAILABLE, "stop failed");
                }
                response.headers().add(corsHeaders);
                exchange.respond(response);
            });
        });
    }

    /** The answer to a reader refused before its stream started: the engine's, unless set here first. */
    private static final class Refusal implements java.util.function.Function<Disconnect, FullHttpResponse> {
        private final HttpHeaders cors;
        private volatile FullHttpResponse decided;

        Refusal(HttpHeaders cors) {
            this.cors = cors;
        }

        void set(FullHttpResponse response) {
            decided = response;
        }

        @Override
        public FullHttpResponse apply(Disconnect disconnect) {
            FullHttpResponse response = decided != null ? decided : DisconnectResponses.of(disconnect);
            response.headers().add(cors);
            return response;
        }
    }

    /**
     * A session that only asks the engine whether the reader may subscribe to the channel: completes with
     * null once connected, or with the disconnect that refused it.
     */
    private static final class ReaderCheck extends PushOnlyTransport {
        final CompletableFuture<Disconnect> result = new CompletableFuture<>();
        private final String remoteAddress;

        ReaderCheck(String remoteAddress) {
            super("ai_stream_stop", AiPartFormat.INSTANCE);
            this.remoteAddress = remoteAddress;
        }

        @Override
        public String remoteAddress() {
            return remoteAddress;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public boolean write(byte[] frame) {
            for (AiPartFormat.Event e : AiPartFormat.read(frame)) {
                if (e instanceof AiPartFormat.Connected) {
                    result.complete(null);
                }
            }
            return true;
        }

        @Override
        public void close(Disconnect disconnect) {
            result.complete(disconnect == null ? DisconnectCode.SERVER_ERROR.disconnect() : disconnect);
        }
    }
}
