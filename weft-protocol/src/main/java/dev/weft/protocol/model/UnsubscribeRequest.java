package dev.weft.protocol.model;

public record UnsubscribeRequest(String channel) implements Request {
    public UnsubscribeRequest {
        channel = channel == null ? "" : channel;
    }
}
