package dev.weft.server.emulation;

import dev.weft.protocol.ProtocolType;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.stream.StreamFraming;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code GET /connection/sse}: the server-to-client half of Centrifugo's bidirectional SSE emulation, as
 * centrifuge-js's {@code sse} transport speaks it (through the browser's {@code EventSource}).
 *
 * <ul>
 *   <li><b>Request.</b> {@code GET} with the JSON connect command in the {@code cf_connect} query parameter
 *       (what EventSource can send), or {@code POST} with it as the body. JSON only, as in Centrifugo: the
 *       SDK's SSE transport has no binary framing.</li>
 *   <li><b>Response.</b> 200 {@code text/event-stream} (the head at once, so EventSource sees the stream
 *       open), then one {@code data: <reply>} event per reply or push, the connect reply (with
 *       {@code session} and {@code node}) first. No {@code id:} and no {@code retry:}: the SDK closes the
 *       EventSource on error and reconnects itself, recovering through the protocol.</li>
 *   <li><b>Refusals</b> (JSON error body, logged): 403 origin not allowed, 413 body over
 *       {@code sse.max_request_body_size}, 400 no {@code cf_connect} or not a connect command.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
public final class SseConnectionEndpoint extends SessionStreamEndpoint {
    public static final String PATH = "/connection/sse";
    /** Query parameter carrying the connect command on GET (Centrifuge's {@code connectUrlParam}). */
    static final String CONNECT_PARAM = "cf_connect";

    SseConnectionEndpoint(SessionStreams streams, int maxRequestBodySize) {
        super(streams, maxRequestBodySize, Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS));
    }

    @Override
    void open(HttpExchange exchange) {
        byte[] commands;
        if (exchange.method().equals(HttpMethod.GET)) {
            String connect = exchange.queryParameter(CONNECT_PARAM);
            if (connect == null || connect.isEmpty()) {
                streams.refuse(exchange, HttpResponseStatus.BAD_REQUEST, "no connect command: the " + CONNECT_PARAM
                        + " query parameter is required");
                return;
            }
            commands = connect.getBytes(StandardCharsets.UTF_8);
        } else {
            commands = ByteBufUtil.getBytes(exchange.request().content());
        }
        if (commands.length > maxRequestBodySize) {
            streams.refuse(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "connect command of " + commands.length
                    + " bytes is over sse.max_request_body_size (" + maxRequestBodySize + ")");
            return;
        }
        String invalid = SessionStreams.invalidConnect(ProtocolType.JSON, commands);
        if (invalid != null) {
            streams.refuse(exchange, HttpResponseStatus.BAD_REQUEST, invalid);
            return;
        }
        streams.open(exchange, "sse", ProtocolType.JSON, StreamFraming.SSE, commands);
    }
}
