package dev.weft.core.proxy;

import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.ProtocolError;

/**
 * The backend said no: a custom {@code error} (code 400–1999) for the command, or a custom
 * {@code disconnect} (code 4000–4999; 4000–4499 reconnect, 4500–4999 do not) for the connection. Exactly
 * one of the two is set. An expected outcome: no stack trace.
 */
public final class ProxyRefusal extends RuntimeException {
    private final transient ProtocolError error;
    private final transient Disconnect disconnect;

    ProxyRefusal(ProtocolError error, Disconnect disconnect, String detail) {
        super(detail, null, false, false);
        this.error = error;
        this.disconnect = disconnect;
    }

    /** The error to answer the command with; null when the connection is to be closed. */
    public ProtocolError error() {
        return error;
    }

    /** The disconnect to close the connection with; null when the command gets an error. */
    public Disconnect disconnect() {
        return disconnect;
    }
}
