package dev.weft.server.uni;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.server.http.TokenExtractor;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads the connect request of a one-way connection: Centrifugo's JSON {@code ConnectRequest}
 * ({@code {"token":"…","subs":{"news":{"recover":true,"epoch":"…","offset":7}}}}) from the {@code cf_connect}
 * query parameter, a request body or a first WebSocket message.
 *
 * <p>A connect request without a token takes the one of the HTTP request, if any
 * ({@code Authorization: Bearer}, or the {@code client.token_cookie_name} cookie), so a page can keep the
 * token out of the URL; a token in the connect request wins.
 *
 * <p>Stateless, thread-safe.
 */
final class UniConnect {
    /** Centrifugo's query parameter for the connect request of GET-based one-way transports. */
    static final String PARAMETER = "cf_connect";
    private static final ProtocolCodec JSON = ProtocolCodecs.of(ProtocolType.JSON);

    private UniConnect() {
    }

    /**
     * The connect request in {@code json}; an absent or blank one is the empty request (anonymous, or the
     * token of the HTTP request).
     *
     * @throws ProtocolDecodeException when it is not one JSON connect request object
     */
    static ConnectRequest parse(byte[] json) throws ProtocolDecodeException {
        if (json == null || isBlank(json)) {
            return new ConnectRequest("", null, Map.of(), "", "", Map.of());
        }
        return JSON.decodeConnectRequest(json);
    }

    static ConnectRequest parse(String json) throws ProtocolDecodeException {
        return parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The token the HTTP request carries in its headers ({@code Authorization: Bearer}, or the cookie), "" for
     * none; read once, before the response starts, so a cross-site cookie request can still be answered 403.
     */
    static String requestToken(TokenExtractor tokens, HttpHeaders headers) throws TokenExtractor.CrossSiteCookie {
        return tokens.extract(headers, Map.of(), false).map(TokenExtractor.RequestToken::token).orElse("");
    }

    /** {@code request} with the HTTP request's token ({@link #requestToken}) when it has none of its own. */
    static ConnectRequest withRequestToken(ConnectRequest request, String requestToken) {
        if (!request.token().isEmpty() || requestToken.isEmpty()) {
            return request;
        }
        return new ConnectRequest(requestToken, request.data(), request.subs(), request.name(), request.version(),
                request.headers());
    }

    /** The channels a one-way client asks for: the keys of {@code subs}. */
    static List<String> channels(ConnectRequest request) {
        return List.copyOf(request.subs().keySet());
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
