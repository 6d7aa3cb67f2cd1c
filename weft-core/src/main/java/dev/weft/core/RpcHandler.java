package dev.weft.core;

import dev.weft.protocol.model.ClientInfo;

/** Answers {@code rpc} commands. Without one (and without an RPC proxy), every rpc is answered with error 108 (not available), as Centrifugo does. */
@FunctionalInterface
public interface RpcHandler {
    /**
     * Called on a virtual thread; may block.
     *
     * @return the reply data (raw JSON for JSON clients)
     * @throws CommandFailedException to answer with a protocol error, e.g. 104 for an unknown method
     */
    byte[] onRpc(ClientInfo client, String method, byte[] data);
}
