package dev.weft.server.api.model;

@Doc("Drop a channel's history.")
public record HistoryRemoveRequest(@Doc(value = "Channel.", required = true) String channel) {
    public HistoryRemoveRequest {
        channel = channel == null ? "" : channel;
    }
}
