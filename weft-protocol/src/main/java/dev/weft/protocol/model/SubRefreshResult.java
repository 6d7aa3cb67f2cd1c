package dev.weft.protocol.model;

public record SubRefreshResult(boolean expires, int ttl) implements Result {
}
