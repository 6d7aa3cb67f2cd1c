package dev.weft.server.websocket;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.server.http.ForwardedHeaders;

import java.util.List;

/**
 * The engine as a connection-oriented transport sees it: one session per opened transport. {@link #of(Node)}
 * in production; tests plug in fakes.
 */
@FunctionalInterface
public interface SessionFactory {

    /** Called on the connection's event loop right after the handshake; must not block. */
    Session open(Transport transport);

    /**
     * Where a transport counts what it refuses before the engine sees it (an oversized frame): the engine's
     * counters for {@link #of(Node)}, a throwaway set otherwise.
     */
    default RefusalCounters refusals() {
        return new RefusalCounters();
    }

    /**
     * The connection request headers a transport hands the session (lower-case): the common ones, plus those
     * the node's event proxies forward to the backend ({@code http_headers}).
     */
    default List<String> forwardedHeaders() {
        return ForwardedHeaders.COMMON;
    }

    /** What the transport tells the session. Both methods are non-blocking and callable from any thread. */
    interface Session {
        /** One complete frame from the client; the array is handed over. */
        void handleFrame(byte[] frame);

        /** The connection is gone; called once. */
        void handleTransportClosed();

        /**
         * For unidirectional transports, which read the connect request from the URL, the body or a first
         * message instead of receiving commands: connects and subscribes to {@code channels} as well as the
         * token's. The client gets a {@code connect} push, or the transport is closed with a disconnect before
         * anything else is written. Non-blocking.
         */
        default void connectUnidirectional(ConnectRequest request, List<String> channels) {
            throw new UnsupportedOperationException("this session does not serve unidirectional transports");
        }
    }

    static SessionFactory of(Node node) {
        return new SessionFactory() {
            @Override
            public RefusalCounters refusals() {
                return node.refusals();
            }

            @Override
            public Session open(Transport transport) {
                return bridge(node.connect(transport));
            }

            @Override
            public List<String> forwardedHeaders() {
                return ForwardedHeaders.withProxied(node.proxies().config());
            }
        };
    }

    private static Session bridge(ClientSession session) {
        return new Session() {
            @Override
            public void handleFrame(byte[] frame) {
                session.handleFrame(frame);
            }

            @Override
            public void handleTransportClosed() {
                session.handleTransportClosed();
            }

            @Override
            public void connectUnidirectional(ConnectRequest request, List<String> channels) {
                session.connectUnidirectional(request, channels);
            }
        };
    }
}
