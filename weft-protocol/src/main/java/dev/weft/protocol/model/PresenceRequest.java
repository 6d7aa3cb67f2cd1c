package dev.weft.protocol.model;

public record PresenceRequest(String channel) implements Request {
    public PresenceRequest {
        channel = channel == null ? "" : channel;
    }
}
