package dev.weft.server.yjs;

import dev.weft.core.docs.DocumentAuthorizer;
import dev.weft.core.limits.AddressLogLimit;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.server.docs.DocumentUpgrade;
import dev.weft.server.docs.HookCallers;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.TokenExtractor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;

/**
 * {@code GET /yjs/<room>}: the y-websocket dialect ({@code y-websocket}'s {@code WebsocketProvider} with
 * {@code serverUrl = ws://host:8000/yjs}); see {@link YWebsocketConnection} for the protocol. The room is the
 * raw path after the prefix, as y-websocket builds the URL ({@code serverUrl + '/' + roomname}): not
 * percent-decoded, may contain {@code /}; the query string is not part of it.
 *
 * <p>The token is read with {@link TokenExtractor}: {@code Authorization: Bearer}, the
 * {@code client.token_cookie_name} cookie, or the {@code token} query parameter (y-websocket's {@code params}
 * option). The upgrade is {@link DocumentUpgrade}'s (Origin check, bounded writes, pings).
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and never blocks (the token is checked in the
 * connection's inbox).
 */
public final class YWebsocketEndpoint implements HttpEndpoint {
    public static final String PREFIX = "/yjs/";

    private final DocumentRooms rooms;
    private final DocumentAuthorizer authorizer;
    private final TokenExtractor tokens;
    private final DocumentUpgrade upgrade;
    /** Refusals are the client's doing: a few detailed lines per address, then one a second. */
    private final AddressLogLimit refusalLog = new AddressLogLimit();

    public YWebsocketEndpoint(DocumentRooms rooms, DocumentAuthorizer authorizer, TokenExtractor tokens,
                              DocumentUpgrade upgrade) {
        this.rooms = rooms;
        this.authorizer = authorizer;
        this.tokens = tokens;
        this.upgrade = upgrade;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String room = room(exchange.request().uri());
        if (room.isEmpty()) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, "no room after " + PREFIX);
            return;
        }
        String token;
        try {
            token = tokens.extract(exchange, true).map(TokenExtractor.RequestToken::token).orElse("");
        } catch (TokenExtractor.CrossSiteCookie e) {
            exchange.refuse(HttpResponseStatus.FORBIDDEN, e.getMessage());
            return;
        }
        var caller = HookCallers.of("yjs", exchange, token, rooms.hooks());
        upgrade.upgrade(exchange, socket -> new YWebsocketConnection(socket, room, caller, authorizer, rooms,
                refusalLog));
    }

    /** The raw path after {@link #PREFIX}, without query or fragment: {@code /yjs/a%20b/c?x=1} → {@code a%20b/c}. */
    static String room(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        int fragment = uri.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        String path = uri.substring(0, end);
        return path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    }
}
