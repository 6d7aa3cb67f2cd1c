package dev.weft.server.api.model;

@Doc("Number of connections and of distinct users present in a channel.")
public record PresenceStatsRequest(@Doc(value = "Channel.", required = true) String channel) {
    public PresenceStatsRequest {
        channel = channel == null ? "" : channel;
    }
}
