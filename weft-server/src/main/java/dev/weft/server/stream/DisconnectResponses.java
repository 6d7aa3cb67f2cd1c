package dev.weft.server.stream;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Push;
import dev.weft.server.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The HTTP answer for a streaming connection the server refuses before anything was streamed (bad token,
 * forbidden channel, …): an HTTP status that says what went wrong, and as body the disconnect in the JSON
 * push form every unidirectional client parses anyway, {@code {"disconnect":{"code":3500,"reason":"invalid
 * token"}}}.
 *
 * <p>Status by code: 3500 invalid token and 3005 expired → 401; 3507 permission denied and 3503 → 403; 3508
 * not available → 404; 3504 connection limit, 3509 and 3013 too many → 429; 1009 message too big → 413; 3004
 * internal error → 500; 3001 shutdown and any other code below 3500 (the client should come back) → 503;
 * every other code (3501 bad request, …) → 400.
 *
 * <p>Stateless, thread-safe.
 */
public final class DisconnectResponses {
    private static final ProtocolCodec JSON = ProtocolCodecs.of(ProtocolType.JSON);

    private DisconnectResponses() {
    }

    public static HttpResponseStatus status(Disconnect disconnect) {
        return switch (disconnect.code()) {
            case 3500, 3005 -> HttpResponseStatus.UNAUTHORIZED;
            case 3507, 3503 -> HttpResponseStatus.FORBIDDEN;
            case 3508 -> HttpResponseStatus.NOT_FOUND;
            case 3504, 3509, 3013 -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case 1009 -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case 3004 -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            default -> DisconnectCode.reconnects(disconnect.code())
                    ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.BAD_REQUEST;
        };
    }

    /** The response for {@code disconnect}, with the status {@link #status} gives. */
    public static FullHttpResponse of(Disconnect disconnect) {
        return of(status(disconnect), disconnect);
    }

    /** A response with an explicit status (e.g. 413 for a body over the limit) and the disconnect as body. */
    public static FullHttpResponse of(HttpResponseStatus status, Disconnect disconnect) {
        return HttpResponses.json(status, JSON.encodePush(new Push("", disconnect)));
    }
}
