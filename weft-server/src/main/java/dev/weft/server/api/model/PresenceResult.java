package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

@Doc("Presence of a channel.")
public record PresenceResult(
        @Doc("Client ID → client info.") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, ClientInfo> presence) {
}
