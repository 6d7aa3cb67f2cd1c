package dev.weft.protocol.model;

public record RefreshResult(String client, String version, boolean expires, int ttl) implements Result {
    public RefreshResult {
        client = client == null ? "" : client;
        version = version == null ? "" : version;
    }
}
