package dev.weft.core.docs.hooks;

import java.util.Map;

/**
 * Who opens (or leaves) a document, as the document hooks tell the backend: what the dialect's connection
 * carried.
 *
 * @param dialect    {@code yjs} ({@code /yjs/<room>}) or {@code hocuspocus}
 * @param token      the token the client presented ("" = none): y-websocket's from the request
 *                   ({@code Authorization}, cookie or {@code token} query parameter), Hocuspocus's from its Auth
 *                   message
 * @param headers    the WebSocket upgrade request's headers, lower-case names (the hooks forward only the
 *                   allow-listed ones)
 * @param parameters the upgrade request's query parameters (y-websocket's {@code params}, the Hocuspocus
 *                   provider's {@code parameters}), first value of each
 */
public record HookCaller(String dialect, String token, Map<String, String> headers, Map<String, String> parameters) {
    /** A call from the server itself ({@code /api/docs}): no connection. */
    public static final HookCaller SERVER = new HookCaller("api", "", Map.of(), Map.of());

    public HookCaller {
        token = token == null ? "" : token;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** The same connection presenting {@code token} (Hocuspocus: one per document). */
    public HookCaller withToken(String t) {
        return new HookCaller(dialect, t, headers, parameters);
    }
}
