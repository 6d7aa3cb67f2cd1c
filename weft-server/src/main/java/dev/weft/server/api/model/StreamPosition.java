package dev.weft.server.api.model;

@Doc("A position in a channel's history stream.")
public record StreamPosition(
        @Doc(value = "Offset in the stream.", required = true) long offset,
        @Doc(value = "Epoch of the stream.", required = true) String epoch) {
    public StreamPosition {
        epoch = epoch == null ? "" : epoch;
    }
}
