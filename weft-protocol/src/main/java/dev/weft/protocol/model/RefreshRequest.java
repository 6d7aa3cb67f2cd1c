package dev.weft.protocol.model;

public record RefreshRequest(String token) implements Request {
    public RefreshRequest {
        token = token == null ? "" : token;
    }
}
