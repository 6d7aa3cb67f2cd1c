package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

@Doc("Connections by client ID.")
public record ConnectionsResult(
        @Doc("Client ID → connection.") @JsonInclude(JsonInclude.Include.ALWAYS)
        Map<String, ConnectionState> connections) {
}
