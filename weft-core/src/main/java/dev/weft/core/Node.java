package dev.weft.core;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.client.ClientSession;
import dev.weft.core.presence.PresenceManager;
import dev.weft.core.transport.Transport;

import java.time.Duration;
import java.util.Map;

/**
 * The engine: owns the hub of connections, the broker and presence manager, and the channel rules.
 * Transports hand it connections ({@link #connect}); the server API publishes through it.
 *
 * <p>Thread-safe.
 */
public final class Node implements AutoCloseable {

    public Node(NodeConfig config, Broker broker, PresenceManager presenceManager) {
        throw new UnsupportedOperationException("in progress");
    }

    public NodeConfig config() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Starts a session for a freshly opened transport; it expects a connect command within the stale delay. */
    public ClientSession connect(Transport transport) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Publishes from the server side (server API, outbox, …) with the channel's namespace options.
     *
     * @throws CommandFailedException 102 for an unknown namespace or invalid channel name
     */
    public PublishOutcome publish(String channel, byte[] data, String idempotencyKey, Map<String, String> tags) {
        throw new UnsupportedOperationException("in progress");
    }

    public void setSendHandler(SendHandler handler) {
        throw new UnsupportedOperationException("in progress");
    }

    public void setRpcHandler(RpcHandler handler) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Number of open sessions on this node. */
    public int connectionCount() {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Disconnects every session with the shutdown code (clients reconnect elsewhere) and waits up to
     * {@code grace} for their transports to flush.
     */
    public void shutdown(Duration grace) {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
