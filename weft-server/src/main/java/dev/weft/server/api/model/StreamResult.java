package dev.weft.server.api.model;

@Doc("A stream after the call.")
public record StreamResult(
        @Doc("Stream id.") String id,
        @Doc("Channel of its parts.") String channel,
        @Doc("The current producer's generation.") long generation,
        @Doc("`open`, or how it ended: `finish`, `error`, `abort`.") String state) {
}
