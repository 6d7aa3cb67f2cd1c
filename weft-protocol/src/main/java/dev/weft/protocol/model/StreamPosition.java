package dev.weft.protocol.model;

/** A point in a channel's stream: the offset of the last publication and the stream's epoch. */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        epoch = epoch == null ? "" : epoch;
    }
}
