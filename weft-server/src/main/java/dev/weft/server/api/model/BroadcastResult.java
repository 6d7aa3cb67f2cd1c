package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@Doc("One response per channel, in the order of the request's `channels`.")
public record BroadcastResult(
        @Doc("Per-channel outcomes.") @JsonInclude(JsonInclude.Include.ALWAYS) List<PublishResponse> responses) {
}
