package dev.weft.server.websocket;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
import dev.weft.core.transport.Transport;

/**
 * The engine as a connection-oriented transport sees it: one session per opened transport. {@link #of(Node)}
 * in production; tests plug in fakes.
 */
@FunctionalInterface
public interface SessionFactory {

    /** Called on the connection's event loop right after the handshake; must not block. */
    Session open(Transport transport);

    /** What the transport tells the session. Both methods are non-blocking and callable from any thread. */
    interface Session {
        /** One complete frame from the client; the array is handed over. */
        void handleFrame(byte[] frame);

        /** The connection is gone; called once. */
        void handleTransportClosed();
    }

    static SessionFactory of(Node node) {
        return transport -> {
            ClientSession session = node.connect(transport);
            return new Session() {
                @Override
                public void handleFrame(byte[] frame) {
                    session.handleFrame(frame);
                }

                @Override
                public void handleTransportClosed() {
                    session.handleTransportClosed();
                }
            };
        };
    }
}
