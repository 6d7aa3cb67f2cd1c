package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@Doc("One connection: who it is, how it is connected, what it is subscribed to.")
public record ConnectionState(
        @Doc("User ID (\"\" for anonymous connections).") @JsonInclude(JsonInclude.Include.ALWAYS) String user,
        @Doc("Transport name (`websocket`, `sse`, `http_stream`, `uni_websocket`, …).") String transport,
        @Doc("Peer address.") String remoteAddr,
        @Doc("Subscribed channels, in name order.") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> channels) {
}
