package dev.weft.server.hocuspocus;

import dev.weft.core.docs.DocumentAuthorizer;
import dev.weft.core.limits.AddressLogLimit;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.server.docs.DocumentUpgrade;
import dev.weft.server.docs.HookCallers;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * {@code GET /hocuspocus}: the Hocuspocus dialect ({@code @hocuspocus/provider} with
 * {@code url: 'ws://host:8000/hocuspocus'}); see {@link HocuspocusConnection} for the protocol. Tokens come
 * in the protocol's Auth message, per document, never from the request. The upgrade is
 * {@link DocumentUpgrade}'s (Origin check, bounded writes, pings). One connection holds at most
 * {@code documentLimit} documents open ({@code client.channel_limit}: a document is a channel).
 *
 * <p>Thread-safe; {@link #handle} runs on the event loop and never blocks.
 */
public final class HocuspocusEndpoint implements HttpEndpoint {
    public static final String PATH = "/hocuspocus";

    private final DocumentRooms rooms;
    private final DocumentAuthorizer authorizer;
    private final DocumentUpgrade upgrade;
    /** Refusals are the client's doing: a few detailed lines per address, then one a second. */
    private final AddressLogLimit refusalLog = new AddressLogLimit();
    private final int documentLimit;

    /** @param documentLimit documents one connection may hold open; 0 = no limit */
    public HocuspocusEndpoint(DocumentRooms rooms, DocumentAuthorizer authorizer, DocumentUpgrade upgrade,
                              int documentLimit) {
        this.rooms = rooms;
        this.authorizer = authorizer;
        this.upgrade = upgrade;
        this.documentLimit = documentLimit;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        // The token comes per document, in the Auth message.
        var caller = HookCallers.of("hocuspocus", exchange, "", rooms.hooks());
        upgrade.upgrade(exchange, socket -> new HocuspocusConnection(socket, caller, authorizer, rooms, refusalLog,
                documentLimit));
    }
}
