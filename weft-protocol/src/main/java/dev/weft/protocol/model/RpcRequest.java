package dev.weft.protocol.model;

public record RpcRequest(byte[] data, String method) implements Request {
    public RpcRequest {
        method = method == null ? "" : method;
    }
}
