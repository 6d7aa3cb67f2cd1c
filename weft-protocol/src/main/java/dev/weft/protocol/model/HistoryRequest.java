package dev.weft.protocol.model;

/**
 * History of a channel. {@code since == null} means from the start of what is kept; {@code limit} 0 asks
 * for the stream position only, a negative limit is invalid on the wire (JSON omits 0).
 */
public record HistoryRequest(String channel, int limit, StreamPosition since, boolean reverse) implements Request {
    public HistoryRequest {
        channel = channel == null ? "" : channel;
    }
}
