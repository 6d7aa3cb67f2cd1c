package dev.weft.protocol.model;

public record SubRefreshRequest(String channel, String token) implements Request {
    public SubRefreshRequest {
        channel = channel == null ? "" : channel;
        token = token == null ? "" : token;
    }
}
