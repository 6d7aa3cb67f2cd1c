package dev.weft.core;

import dev.weft.protocol.model.ClientInfo;

/** Handles {@code send} commands: asynchronous messages from a client that get no reply. */
@FunctionalInterface
public interface SendHandler {
    /** Called on a virtual thread, in the order the connection sent them. */
    void onSend(ClientInfo client, byte[] data);
}
