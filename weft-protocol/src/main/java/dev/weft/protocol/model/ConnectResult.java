package dev.weft.protocol.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reply to connect, and (as a push body) the {@code connect} push of unidirectional transports.
 * {@code ttl} is seconds until the token expires when {@code expires}; {@code ping} is the server's ping
 * interval in seconds and {@code pong} whether the client must answer pings. {@code subs} keeps its
 * iteration order.
 */
public record ConnectResult(String client, String version, boolean expires, int ttl, byte[] data,
                            Map<String, SubscribeResult> subs, int ping, boolean pong, String session,
                            String node, long time) implements Result, PushBody {
    public ConnectResult {
        client = client == null ? "" : client;
        version = version == null ? "" : version;
        session = session == null ? "" : session;
        node = node == null ? "" : node;
        // Kept in the caller's order (server-side subscriptions, then requested channels): one-way transports
        // render the subscriptions as a sequence of events.
        subs = subs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(subs));
    }
}
