package dev.weft.server.emulation;

import dev.weft.core.emulation.EmulationRouter;
import dev.weft.core.emulation.EmulationRouter.Outcome;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.EmulationRequestCodec;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * {@code POST /emulation}: the client-to-server half of bidirectional emulation. An HTTP-streaming or SSE
 * client POSTs each batch of commands here as an {@link EmulationRequest} ({@code {"node","session","data"}};
 * Protobuf when {@code Content-Type: application/octet-stream}), and the {@link EmulationRouter} hands them to
 * the session, whose replies go down its stream.
 *
 * <ul>
 *   <li>204: delivered (the answer comes on the stream, not here).</li>
 *   <li>404 (JSON error): no such node or no such session. centrifuge-js closes its transport on 404 and
 *       reconnects at once. Centrifugo answers 204 for a session gone from a live node and lets the command
 *       time out; Weft answers 404 for both, so a client whose stream silently died comes back sooner.</li>
 *   <li>400 (JSON error): not an emulation request, no session or node, or the framing is not the session's
 *       protocol. 413: body over {@code emulation.max_request_body_size}. 403: origin not allowed.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and does not block (decoding a bounded body, a
 * non-blocking route).
 */
public final class EmulationEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(EmulationEndpoint.class);

    public static final String PATH = "/emulation";
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.POST, HttpMethod.OPTIONS);

    private final EmulationRouter router;
    private final CorsPolicy cors;
    private final int maxRequestBodySize;

    EmulationEndpoint(EmulationRouter router, CorsPolicy cors, int maxRequestBodySize) {
        this.router = router;
        this.cors = cors;
        this.maxRequestBodySize = maxRequestBodySize;
    }

    @Override
    public Set<HttpMethod> methods() {
        return METHODS;
    }

    /** Protobuf when the request says {@code application/octet-stream} (as the SDKs do), else JSON. */
    static ProtocolType format(HttpExchange exchange) {
        CharSequence mime = HttpUtil.getMimeType(exchange.request());
        return mime != null && HttpHeaderValues.APPLICATION_OCTET_STREAM.contentEqualsIgnoreCase(mime)
                ? ProtocolType.PROTOBUF : ProtocolType.JSON;
    }

    @Override
    public void handle(HttpExchange exchange) {
        if (exchange.method().equals(HttpMethod.OPTIONS)) {
            cors.preflight(exchange, METHODS);
            return;
        }
        HttpHeaders headers = exchange.request().headers();
        String origin = CorsPolicy.origin(headers); // kept: the request is released when handle returns
        String originRefusal = cors.refusal(headers);
        if (originRefusal != null) {
            exchange.refuseJson(HttpResponseStatus.FORBIDDEN, originRefusal);
            return;
        }
        int size = exchange.request().content().readableBytes();
        if (size > maxRequestBodySize) {
            cors.refuse(exchange, origin, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body of " + size
                    + " bytes is over emulation.max_request_body_size (" + maxRequestBodySize + ")");
            return;
        }
        ProtocolType format = format(exchange);
        EmulationRequest request;
        try {
            request = EmulationRequestCodec.decode(format, ByteBufUtil.getBytes(exchange.request().content()));
        } catch (ProtocolDecodeException e) {
            cors.refuse(exchange, origin, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        if (request.session().isEmpty() || request.node().isEmpty()) {
            cors.refuse(exchange, origin, HttpResponseStatus.BAD_REQUEST, "session and node are required");
            return;
        }
        router.route(request, format).whenComplete((outcome, error) -> {
            if (error != null) {
                log.error("emulation request from {} for session on node {} failed", exchange.remoteAddress(),
                        request.node(), error);
                respond(exchange, origin, HttpResponses.jsonError(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "emulation request failed"));
                return;
            }
            switch (outcome) {
                case DELIVERED -> respond(exchange, origin, HttpResponses.empty(HttpResponseStatus.NO_CONTENT));
                case UNKNOWN_NODE -> cors.refuse(exchange, origin, HttpResponseStatus.NOT_FOUND,
                        "unknown node (restarted or gone); reconnect");
                case UNKNOWN_SESSION -> cors.refuse(exchange, origin, HttpResponseStatus.NOT_FOUND,
                        "unknown session (closed); reconnect");
                case WRONG_FORMAT -> cors.refuse(exchange, origin, HttpResponseStatus.BAD_REQUEST,
                        "commands in " + format + " framing for a session that speaks the other protocol");
            }
        });
    }

    private void respond(HttpExchange exchange, String origin, FullHttpResponse response) {
        cors.allow(origin, response.headers());
        exchange.respond(response);
    }
}
