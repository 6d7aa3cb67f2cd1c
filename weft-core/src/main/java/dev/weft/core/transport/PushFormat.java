package dev.weft.core.transport;

import dev.weft.protocol.model.Push;

/**
 * How one kind of transport wants pushes and keep-alives encoded: client protocol replies for the
 * bidirectional transports, bare pushes for the unidirectional ones, SSE events for plain EventSource
 * streams. A publication is encoded at most once per format and the bytes shared by every subscriber
 * using that format, so implementations must be stateless singletons (they are cache keys, compared by
 * identity) and must return arrays nobody modifies.
 */
public interface PushFormat {

    /**
     * One complete frame for the transport.
     *
     * @param epoch the stream epoch a publication's offset belongs to ("" when not a publication or no
     *              history) — formats that put positions on the wire (SSE ids) need it
     */
    byte[] encode(Push push, String epoch);

    /** The keep-alive frame the engine sends every ping interval, or null if this format sends none. */
    byte[] ping();
}
