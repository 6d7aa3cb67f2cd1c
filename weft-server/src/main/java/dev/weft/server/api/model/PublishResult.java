package dev.weft.server.api.model;

@Doc("Where the publication landed in the channel's stream (both absent without history).")
public record PublishResult(
        @Doc("Offset of the publication.") long offset,
        @Doc("Epoch of the stream.") String epoch) {
}
