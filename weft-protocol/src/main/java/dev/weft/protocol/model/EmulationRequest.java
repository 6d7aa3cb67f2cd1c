package dev.weft.protocol.model;

/**
 * What a client on an emulated transport (HTTP-streaming, SSE) POSTs to {@code /emulation}: commands for
 * its session, addressed by the {@code node} and {@code session} the connect result gave it.
 *
 * @param node    the node holding the session (the connect result's {@code node})
 * @param session the session's secret id (the connect result's {@code session}; not the client id, which
 *                other clients may see in presence)
 * @param data    the commands, framed as on a WebSocket in the session's protocol: for JSON the UTF-8 text of
 *                one or more newline-separated commands, for Protobuf varint-length-prefixed commands. Never
 *                null (empty when absent).
 */
public record EmulationRequest(String node, String session, byte[] data) {
    public EmulationRequest {
        node = node == null ? "" : node;
        session = session == null ? "" : session;
        data = data == null ? new byte[0] : data;
    }
}
