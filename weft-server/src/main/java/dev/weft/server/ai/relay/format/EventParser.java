package dev.weft.server.ai.relay.format;


/**
 * Splits an upstream body into {@link UpstreamEvent}s as its bytes arrive, whatever the chunk boundaries. Not
 * thread-safe: one per response, fed by the thread reading it.
 */
public interface EventParser {

    /** Feeds the next bytes; complete events go to {@code out} in order. */
    void feed(byte[] bytes, int offset, int length, EventSink out) throws MalformedUpstreamException;

    /** The body ended; a complete last event (if the format allows one without a terminator) goes to {@code out}. */
    void end(EventSink out) throws MalformedUpstreamException;
}
