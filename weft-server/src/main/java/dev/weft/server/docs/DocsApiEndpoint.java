package dev.weft.server.docs;

import dev.weft.core.docs.DocumentRejectedException;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code /api/docs/<room>}, served behind the server API key (the server wraps it in
 * {@link dev.weft.server.api.ApiKeyGuard}, as every API endpoint: a request without the right key never reaches
 * it): {@code GET} answers the whole document as one Yjs update (v1, {@code application/octet-stream}), or its
 * state vector with {@code ?sv}; {@code POST} with a Yjs update as the body applies it like a peer's update —
 * validated, size-checked, stored, sent to every connected peer — and answers 204. {@code DELETE} removes the
 * document from the store (and from quarantine: how an operator clears a document whose stored updates do not
 * decode) and answers 204; refused with 409 while peers have it open. The room name is the raw path after the
 * prefix, as for {@code /yjs/<room>}.
 *
 * <p>A {@code POST} body is held to the HTTP layer's request limit
 * ({@link dev.weft.server.http.HttpChannelInitializer#MAX_REQUEST_BODY}, 1 MiB; 413 beyond it) whatever
 * {@code docs.max_update_size}: requests are aggregated in memory before they are routed, and 100 MiB bodies on
 * every request would be a way to exhaust the heap. Larger updates reach a document over a WebSocket dialect.
 *
 * <p>Refusals, with a JSON reason: empty room → 404; malformed update → 400; update or document too
 * large → 413; quarantined document, or deleting an open one → 409; store full or namespace quota reached →
 * 507; the store failing, the node busy or the server shutting down → 503. Each is logged.
 *
 * <p>Thread-safe; {@link #handle} copies the body on the event loop, the rest runs on
 * {@code executor} (virtual threads).
 */
public final class DocsApiEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(DocsApiEndpoint.class);
    public static final String PREFIX = "/api/docs/";

    private final DocumentRooms rooms;
    private final Executor executor;
    private final String prefix;

    public DocsApiEndpoint(DocumentRooms rooms, Executor executor) {
        this(rooms, executor, PREFIX);
    }

    /** Mounted on {@code prefix} instead of {@link #PREFIX} (the admin UI's copy behind its session). */
    public DocsApiEndpoint(DocumentRooms rooms, Executor executor, String prefix) {
        this.rooms = rooms;
        this.executor = executor;
        this.prefix = prefix;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String room = room(exchange.request().uri(), prefix);
        if (room.isEmpty()) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no document after " + prefix);
            return;
        }
        HttpMethod method = exchange.method();
        boolean stateVector = exchange.queryParameters().containsKey("sv");
        byte[] body = method.equals(HttpMethod.POST) ? ByteBufUtil.getBytes(exchange.request().content()) : null;
        try {
            executor.execute(() -> answer(exchange, room, method, stateVector, body));
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "server shutting down");
        }
    }

    private void answer(HttpExchange exchange, String room, HttpMethod method, boolean stateVector, byte[] body) {
        try {
            if (method.equals(HttpMethod.POST)) {
                rooms.apply(room, body);
                exchange.respond(HttpResponses.empty(HttpResponseStatus.NO_CONTENT));
            } else if (method.equals(HttpMethod.DELETE)) {
                rooms.delete(room);
                exchange.respond(HttpResponses.empty(HttpResponseStatus.NO_CONTENT));
            } else {
                exchange.respond(octets(stateVector ? rooms.stateVector(room) : rooms.document(room)));
            }
        } catch (DocumentRejectedException e) {
            HttpResponseStatus status = switch (e.error()) {
                case MALFORMED -> HttpResponseStatus.BAD_REQUEST;
                case UPDATE_TOO_LARGE, DOCUMENT_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
                case QUARANTINED, FORBIDDEN -> HttpResponseStatus.CONFLICT;
                case STORE_FULL, NAMESPACE_QUOTA -> HttpResponseStatus.INSUFFICIENT_STORAGE;
                default -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            };
            exchange.refuseJson(status, "document " + room + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} {} failed", exchange.method(), exchange.path(), e);
            exchange.respond(HttpResponses.status(HttpResponseStatus.INTERNAL_SERVER_ERROR));
        }
    }

    private static FullHttpResponse octets(byte[] bytes) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    /** The raw path after {@code prefix}, without the query. */
    static String room(String uri, String prefix) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.startsWith(prefix) ? path.substring(prefix.length()) : "";
    }
}
