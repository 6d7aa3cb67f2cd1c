package dev.weft.protocol.model;

public record PresenceStatsRequest(String channel) implements Request {
    public PresenceStatsRequest {
        channel = channel == null ? "" : channel;
    }
}
