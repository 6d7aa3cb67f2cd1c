package dev.weft.server.docs;

import dev.weft.core.docs.hooks.DocumentHooks;
import dev.weft.core.docs.hooks.HookCaller;
import dev.weft.server.http.HttpExchange;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a document connection's upgrade request tells the document hooks ({@link HookCaller}). */
public final class HookCallers {
    private HookCallers() {
    }

    /**
     * The caller of a connection upgraded from {@code exchange}: its headers (lower-case names) and query
     * parameters (first value each), or neither when no hook is configured (nothing would read them).
     */
    public static HookCaller of(String dialect, HttpExchange exchange, String token, DocumentHooks hooks) {
        if (hooks == DocumentHooks.NONE) {
            return new HookCaller(dialect, token, null, null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.request().headers().forEach(h ->
                headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        Map<String, String> parameters = new LinkedHashMap<>();
        exchange.queryParameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                parameters.put(name, values.getFirst());
            }
        });
        return new HookCaller(dialect, token, headers, parameters);
    }
}
