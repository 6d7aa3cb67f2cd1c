package dev.weft.core.presence;

/** Number of connections and of distinct users present in a channel. */
public record PresenceStats(int numClients, int numUsers) {
}
