package dev.weft.core.client;

import dev.weft.protocol.model.Disconnect;

/**
 * One client connection's protocol state machine: CONNECTING → CONNECTED → CLOSED.
 *
 * <p>Thread-safety: {@link #handleFrame} may be called from any thread; frames are processed one at a time
 * in the order they were handed in, on virtual threads (never on the caller's thread, so a network event
 * loop is never blocked).
 */
public final class ClientSession {

    /** Hands in one frame the client sent (one or more commands). */
    public void handleFrame(byte[] frame) {
        throw new UnsupportedOperationException("in progress");
    }

    /** The transport is gone (peer closed, network error): clean up subscriptions and presence. */
    public void handleTransportClosed() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Closes the session with a disconnect sent to the client. */
    public void disconnect(Disconnect disconnect) {
        throw new UnsupportedOperationException("in progress");
    }
}
