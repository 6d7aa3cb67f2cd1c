package dev.weft.protocol.model;

public record PublishRequest(String channel, byte[] data) implements Request {
    public PublishRequest {
        channel = channel == null ? "" : channel;
    }
}
