package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

@Doc("A connection as seen in presence and publications.")
public record ClientInfo(
        @Doc("User ID (\"\" for anonymous connections).") @JsonInclude(JsonInclude.Include.ALWAYS) String user,
        @Doc("Client (connection) ID.") @JsonInclude(JsonInclude.Include.ALWAYS) String client,
        @Doc("Connection info (from the token's `info` or a `refresh`).") JsonPayload connInfo,
        @Doc("Channel info (from a subscription token or server-side `subscribe`).") JsonPayload chanInfo) {
}
