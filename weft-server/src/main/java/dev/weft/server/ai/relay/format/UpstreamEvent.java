package dev.weft.server.ai.relay.format;

/**
 * One event read from an upstream stream: an SSE event, or one NDJSON line.
 *
 * @param type the SSE {@code event:} field, or null when there was none (and for NDJSON)
 * @param data the event's data: the {@code data:} lines joined with {@code \n}, or the line; the upstream's bytes
 */
public record UpstreamEvent(String type, byte[] data) {
}
