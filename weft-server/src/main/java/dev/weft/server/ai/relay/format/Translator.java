package dev.weft.server.ai.relay.format;

import java.util.List;

/**
 * Turns one upstream format's events into UI message stream parts. Not thread-safe: one per relay, called by
 * the thread reading the upstream, in order.
 */
public interface Translator {

    /** The parser for this format's body. */
    EventParser parser();

    /**
     * Translates one event, appending the parts it yields to {@code out}.
     *
     * @throws MalformedUpstreamException the upstream reported an error, or the event is not the format; the
     *                                    parts already appended are still delivered
     */
    void event(UpstreamEvent event, List<byte[]> out) throws MalformedUpstreamException;

    /** The upstream said its answer is complete (after this no more events are read). */
    boolean done();

    /** The upstream's finish reason once {@link #done()}, or null when it gave none. */
    String finishReason();

    /**
     * The body ended without {@link #done()}: either the format has no end marker (then this closes what is
     * open and is done) or the answer was cut off.
     *
     * @throws MalformedUpstreamException the answer was cut off
     */
    void end(List<byte[]> out) throws MalformedUpstreamException;
}
