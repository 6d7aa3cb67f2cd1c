package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

@Doc("Publications and the stream's current position.")
public record HistoryResult(
        @Doc("Publications, in the order asked for.") @JsonInclude(JsonInclude.Include.ALWAYS)
        List<Publication> publications,
        @Doc("Epoch of the stream.") @JsonInclude(JsonInclude.Include.ALWAYS) String epoch,
        @Doc("Offset of the newest publication in the stream.") @JsonInclude(JsonInclude.Include.ALWAYS)
        long offset) {
}
