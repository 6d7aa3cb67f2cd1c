package dev.weft.server.api.model;

@Doc("Read a channel's history.")
public record HistoryRequest(
        @Doc(value = "Channel.", required = true) String channel,
        @Doc("Most publications to return; 0 (default) returns only the stream position, -1 all.") int limit,
        @Doc("Return publications after this position (an older epoch → 112 unrecoverable position).")
        StreamPosition since,
        @Doc("From newest to oldest.") boolean reverse) {

    public HistoryRequest {
        channel = channel == null ? "" : channel;
    }
}
