package dev.weft.server.emulation;

import dev.weft.protocol.ProtocolType;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.stream.StreamFraming;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;

/**
 * {@code POST /connection/http_stream}: the server-to-client half of Centrifugo's bidirectional HTTP-streaming
 * emulation, as centrifuge-js's {@code http_stream} transport speaks it.
 *
 * <ul>
 *   <li><b>Request.</b> The body holds the connect command, framed as on a WebSocket. {@code Content-Type:
 *       application/octet-stream} selects Protobuf (the SDK's Protobuf build), anything else JSON.</li>
 *   <li><b>Response.</b> 200 with a chunked body that stays open: every reply and push the session sends —
 *       the connect reply first, with the {@code session} and {@code node} the client addresses
 *       {@code /emulation} with. JSON: one reply per line ({@code application/x-ndjson}); Protobuf: replies
 *       with their varint length prefix, back to back ({@code application/octet-stream}). Pings are the empty
 *       reply, answered by the client through {@code /emulation}.</li>
 *   <li><b>End.</b> The server ends the body after a {@code disconnect} push and closes the connection
 *       ({@code Connection: close}: it is never reused); the client ends it by aborting
 *       the request.</li>
 *   <li><b>Refusals</b> (JSON error body, logged): 403 origin not allowed, 413 body over
 *       {@code http_stream.max_request_body_size}, 400 body that is not a connect command.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop.
 */
public final class HttpStreamEndpoint extends SessionStreamEndpoint {
    public static final String PATH = "/connection/http_stream";

    HttpStreamEndpoint(SessionStreams streams, int maxRequestBodySize) {
        super(streams, maxRequestBodySize, Set.of(HttpMethod.POST, HttpMethod.OPTIONS));
    }

    @Override
    void open(HttpExchange exchange) {
        int size = exchange.request().content().readableBytes();
        if (size > maxRequestBodySize) {
            streams.refuse(exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body of " + size + " bytes is over http_stream.max_request_body_size (" + maxRequestBodySize + ")");
            return;
        }
        ProtocolType protocol = EmulationEndpoint.format(exchange);
        byte[] commands = ByteBufUtil.getBytes(exchange.request().content());
        String invalid = SessionStreams.invalidConnect(protocol, commands);
        if (invalid != null) {
            streams.refuse(exchange, HttpResponseStatus.BAD_REQUEST, invalid);
            return;
        }
        streams.open(exchange, "http_stream", protocol,
                protocol == ProtocolType.JSON ? StreamFraming.NEWLINE_DELIMITED : StreamFraming.SELF_DELIMITED,
                commands);
    }
}
