package dev.weft.core.presence;

import dev.weft.protocol.model.ClientInfo;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Number of connections and of distinct users present in a channel. */
public record PresenceStats(int numClients, int numUsers) {

    /** The stats of a channel's presence (client id → info); anonymous clients (user "") count as one user. */
    public static PresenceStats of(Map<String, ClientInfo> presence) {
        Set<String> users = new HashSet<>();
        presence.values().forEach(info -> users.add(info.user()));
        return new PresenceStats(presence.size(), users.size());
    }
}
