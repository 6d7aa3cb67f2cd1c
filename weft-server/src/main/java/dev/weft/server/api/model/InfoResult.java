package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@Doc("Running nodes (one per Weft process; only this one until scale-out brokers arrive).")
public record InfoResult(@Doc("Nodes.") @JsonInclude(JsonInclude.Include.ALWAYS) List<NodeResult> nodes) {
}
