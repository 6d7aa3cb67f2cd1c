package dev.weft.protocol.model;

import java.util.Map;

public record ConnectRequest(String token, byte[] data, Map<String, SubscribeRequest> subs, String name,
                             String version, Map<String, String> headers) implements Request {
    public ConnectRequest {
        token = token == null ? "" : token;
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        subs = subs == null ? Map.of() : Map.copyOf(subs);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
