package dev.weft.server.api.model;

@Doc("Presence of a channel: every connection subscribed to it, on every node.")
public record PresenceRequest(@Doc(value = "Channel.", required = true) String channel) {
    public PresenceRequest {
        channel = channel == null ? "" : channel;
    }
}
