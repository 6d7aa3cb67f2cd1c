package dev.weft.protocol.model;

public record RpcResult(byte[] data) implements Result {
}
