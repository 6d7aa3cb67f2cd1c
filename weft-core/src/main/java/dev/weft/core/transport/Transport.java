package dev.weft.core.transport;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;

import java.util.Map;

/**
 * What the engine needs from a connection: write encoded frames, close with a disconnect, and a few facts
 * about itself. Implemented by each network transport (WebSocket, SSE, HTTP-streaming, …); the engine
 * never sees the network library behind it.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently.
 */
public interface Transport {

    /** Short transport name for logs and metrics, e.g. {@code "websocket"}. */
    String name();

    ProtocolType protocolType();

    /**
     * How pushes and pings are encoded for this transport. Bidirectional transports use the client
     * protocol's replies; unidirectional ones override this.
     */
    default PushFormat pushFormat() {
        return PushFormats.replyWrapped(protocolType());
    }

    /** True for transports that only carry pushes from server to client (no commands, no replies). */
    boolean unidirectional();

    /**
     * True for bidirectional emulation (HTTP-streaming, SSE): replies and pushes go down this transport, but
     * the client sends its commands out of band, as separate {@code /emulation} requests addressed by the
     * session id and node id that the connect result carries for such transports. The session is then
     * reachable through {@link dev.weft.core.Node#emulationSession}.
     */
    default boolean emulation() {
        return false;
    }

    /** Peer address for logs and per-IP limits, e.g. {@code "127.0.0.1:51234"}. */
    String remoteAddress();

    /** Selected request headers at connect time (lower-case names), e.g. {@code origin}, {@code user-agent}. */
    Map<String, String> headers();

    /**
     * Queues one complete frame for the client. The array is shared (the same encoded publication goes to
     * every subscriber) and must not be modified by the transport.
     *
     * @return false when the transport's bounded write queue cannot take the frame; the frame was not
     *     queued and the caller is expected to disconnect the client as slow
     */
    boolean write(byte[] frame);

    /** Bytes written and not yet on the socket (the bounded write queue's fill), for the queue-depth gauge. */
    default long pendingBytes() {
        return 0;
    }

    /**
     * Sends the disconnect to the client (as its close code and reason where the transport has them),
     * flushes what is queued and closes. Idempotent.
     */
    void close(Disconnect disconnect);
}
