package dev.weft.core.presence;

import dev.weft.protocol.model.ClientInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who is in a channel. Each entry is keyed by client (connection) id and lives until removed or, when not
 * refreshed by another {@link #addPresence} within {@code ttl}, until it expires — so a node that dies
 * without saying goodbye leaves no ghosts behind.
 *
 * <p>Implementations are thread-safe; methods may block (never call them from a network event loop).
 */
public interface PresenceManager extends AutoCloseable {

    /** Current presence of a channel: client id → info, expired entries excluded. */
    Map<String, ClientInfo> presence(String channel);

    /**
     * Counts of distinct clients and distinct users in a channel, expired entries excluded. Anonymous clients
     * (user "") count as one user, as in Centrifugo. Counted from {@link #presence} unless an implementation
     * knows a cheaper way.
     */
    default PresenceStats presenceStats(String channel) {
        return PresenceStats.of(presence(channel));
    }

    /**
     * Adds or refreshes a client's entry (replacing its info); it expires {@code ttl} after the last refresh.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    void addPresence(String channel, String clientId, ClientInfo info, Duration ttl);

    /**
     * As {@link #addPresence(String, String, ClientInfo, Duration)}, recording {@code node} (the id of the node
     * holding the connection) as the entry's owner, so that {@link #removeNodePresence} can drop the entries of
     * a node that is gone. Managers shared by several nodes store the owner; the default ignores it.
     */
    default void addPresence(String channel, String clientId, ClientInfo info, Duration ttl, String node) {
        addPresence(channel, clientId, info, ttl);
    }

    /**
     * Removes every entry owned by {@code node} (a node the cluster declared gone) and returns what it removed,
     * by channel, so that leaves can be published. Idempotent: a second call finds nothing. The default removes
     * nothing: a manager that lives in one process never outlives its node.
     */
    default Map<String, List<ClientInfo>> removeNodePresence(String node) {
        return Map.of();
    }

    /** Removes a client's entry; no-op if absent. */
    void removePresence(String channel, String clientId);

    @Override
    default void close() {
    }

    /**
     * The checks every {@link #addPresence} makes before touching anything.
     *
     * @throws NullPointerException     if {@code channel}, {@code clientId} or {@code info} is null
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    static void checkAddPresence(String channel, String clientId, ClientInfo info, Duration ttl) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(info, "info");
        if (ttl == null || !ttl.isPositive()) {
            throw new IllegalArgumentException("presence ttl must be positive, got " + ttl);
        }
    }
}
