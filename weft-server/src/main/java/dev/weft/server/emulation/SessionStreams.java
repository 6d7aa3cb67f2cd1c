package dev.weft.server.emulation;

import dev.weft.core.transport.PushFormats;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.StreamFraming;
import dev.weft.server.websocket.SessionFactory;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * What the two session-stream endpoints ({@code /connection/http_stream}, {@code /connection/sse}) share:
 * the checks before a stream opens, and opening it — the response becomes a {@link ChunkedStreamTransport}
 * (no further requests on the connection), its head goes out, and an engine session starts with the connect
 * command that came with the request.
 *
 * <p>Thread-safe; {@link #open} runs on the connection's event loop.
 */
final class SessionStreams {
    private static final Logger log = LoggerFactory.getLogger(SessionStreams.class);

    private final SessionFactory sessions;
    private final CorsPolicy cors;
    private final long queueMaxSize;

    /** @param queueMaxSize per-stream write queue bound ({@code client.queue_max_size}) */
    SessionStreams(SessionFactory sessions, CorsPolicy cors, long queueMaxSize) {
        this.sessions = sessions;
        this.cors = cors;
        this.queueMaxSize = queueMaxSize;
    }

    /**
     * What every stream request goes through first: answers an {@code OPTIONS} preflight (for
     * {@code methods}), refuses a disallowed Origin with 403. False when it answered.
     */
    boolean admit(HttpExchange exchange, Set<HttpMethod> methods) {
        if (exchange.method().equals(HttpMethod.OPTIONS)) {
            cors.preflight(exchange, methods);
            return false;
        }
        String refusal = cors.refusal(exchange.request().headers());
        if (refusal != null) {
            exchange.refuseJson(HttpResponseStatus.FORBIDDEN, refusal);
            return false;
        }
        return true;
    }

    /** Refuses with a JSON error (and CORS headers, so a page can read it) and logs why. */
    void refuse(HttpExchange exchange, HttpResponseStatus status, String reason) {
        cors.refuse(exchange, CorsPolicy.origin(exchange.request().headers()), status, reason);
    }

    /**
     * Why {@code commands} cannot open a session, or null: they must decode in {@code protocol} and start
     * with a connect command. Checked before the stream opens so that a bad request gets a 400 the client
     * can read instead of a stream that ends at once.
     */
    static String invalidConnect(ProtocolType protocol, byte[] commands) {
        List<Command> decoded;
        try {
            decoded = ProtocolCodecs.of(protocol).decodeCommands(commands);
        } catch (ProtocolDecodeException e) {
            return "malformed connect command: " + e.getMessage();
        }
        if (decoded.isEmpty()) {
            return "no connect command";
        }
        if (!(decoded.getFirst().request() instanceof ConnectRequest)) {
            return "the first command must be connect";
        }
        return null;
    }

    /**
     * Answers 200 with a streamed body that stays open, and starts the session with {@code commands}. The head
     * goes out before the connect is processed, as in Centrifuge: a refused connect (bad token, …) then
     * reaches the SDK in the stream — as the connect reply's error or a disconnect push — which tells it
     * whether to reconnect, where an HTTP error would only look like a broken transport.
     *
     * @param commands the connect command (and any commands after it), handed to the session
     */
    void open(HttpExchange exchange, String name, ProtocolType protocol, StreamFraming framing, byte[] commands) {
        HttpHeaders request = exchange.request().headers();
        String origin = CorsPolicy.origin(request);
        ChunkedStreamTransport.Builder builder = ChunkedStreamTransport.builder(exchange.startStream())
                .name(name)
                .protocol(protocol)
                .emulation(true)
                .pushFormat(PushFormats.replyWrapped(protocol))
                .framing(framing)
                .remoteAddress(exchange.remoteAddress())
                .headers(ForwardedHeaders.select(request, sessions.forwardedHeaders()))
                .queueMaxSize(queueMaxSize);
        HttpHeaders corsHeaders = new DefaultHttpHeaders();
        cors.allow(origin, corsHeaders);
        corsHeaders.forEach(header -> builder.responseHeader(header.getKey(), header.getValue()));
        ChunkedStreamTransport transport = builder.build();
        transport.commit();
        SessionFactory.Session session;
        try {
            session = sessions.open(transport);
        } catch (RuntimeException e) {
            log.error("could not start a session for {}", transport, e);
            transport.close(DisconnectCode.SERVER_ERROR.disconnect());
            return;
        }
        transport.onClosed(session::handleTransportClosed);
        session.handleFrame(commands);
        log.debug("{} open", transport);
    }
}
