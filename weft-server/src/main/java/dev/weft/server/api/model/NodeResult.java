package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

@Doc("One running node.")
public record NodeResult(
        @Doc("Unique ID of this node's run.") @JsonInclude(JsonInclude.Include.ALWAYS) String uid,
        @Doc("Node name (the `name` option).") @JsonInclude(JsonInclude.Include.ALWAYS) String name,
        @Doc("Weft version.") @JsonInclude(JsonInclude.Include.ALWAYS) String version,
        @Doc("Open connections.") @JsonInclude(JsonInclude.Include.ALWAYS) int numClients,
        @Doc("Distinct connected users.") @JsonInclude(JsonInclude.Include.ALWAYS) int numUsers,
        @Doc("Channels with subscribers.") @JsonInclude(JsonInclude.Include.ALWAYS) int numChannels,
        @Doc("Seconds since the node started.") long uptime,
        @Doc("Subscriptions (connection × channel).") @JsonInclude(JsonInclude.Include.ALWAYS) int numSubs) {
}
