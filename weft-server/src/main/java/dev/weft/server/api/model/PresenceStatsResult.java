package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

@Doc("Presence counts of a channel.")
public record PresenceStatsResult(
        @Doc("Connections present.") @JsonInclude(JsonInclude.Include.ALWAYS) int numClients,
        @Doc("Distinct users present (anonymous connections count as one).")
        @JsonInclude(JsonInclude.Include.ALWAYS) int numUsers) {
}
