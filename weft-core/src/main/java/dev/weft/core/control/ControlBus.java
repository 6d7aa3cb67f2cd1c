package dev.weft.core.control;

/**
 * The wire between the nodes of a cluster for control messages (not publications: those go through the
 * broker). A bus carries opaque bytes, unchanged, with the sending node's id: to every other node
 * ({@link #broadcast}) or to one node ({@link #send}). Delivery is at most once and unordered across senders;
 * {@link Cluster} copes with lost messages by timing out requests and expiring silent nodes.
 *
 * <p>Implementations: {@link LocalControlNetwork} (in one process: a single node, or nodes in tests),
 * {@code RedisControlBus} (pub/sub channels {@code <prefix>:control} and {@code <prefix>:node:<id>}),
 * {@code NatsControlBus} (subjects {@code <prefix>.control} and {@code <prefix>.node.<id>}).
 *
 * <p>Thread-safe; {@link #broadcast} and {@link #send} do not block on the network for long (they hand the
 * bytes to the client library) and may be called from any thread.
 */
public interface ControlBus extends AutoCloseable {

    /** Receives what other nodes sent; called on the bus's delivery thread, must not block. */
    @FunctionalInterface
    interface Receiver {
        void receive(String fromNode, byte[] message);
    }

    /**
     * Joins the bus as {@code nodeId}: from now on {@code receiver} gets every broadcast of the other nodes and
     * every message sent to this node id. A node's own broadcasts are not delivered back to it.
     */
    void start(String nodeId, Receiver receiver);

    /** Sends {@code message} to every other node on the bus. */
    void broadcast(byte[] message);

    /** Sends {@code message} to the node {@code nodeId} only; dropped if no such node listens. */
    void send(String nodeId, byte[] message);

    /**
     * Fails unless messages can be sent now, so an API call that needs the other nodes answers an error
     * instead of reaching only this one. A bus within one process is always reachable.
     *
     * @throws dev.weft.core.broker.BrokerUnavailableException when the bus's server cannot be reached
     */
    default void requireReachable() {
    }

    /**
     * Keeps a revocation or invalidation ({@code message}) until {@code expireAt} (Unix seconds), so that nodes
     * joining later learn it from {@link #revocations}. A bus within one process keeps nothing: its nodes
     * share its lifetime.
     *
     * @throws dev.weft.core.broker.BrokerUnavailableException when it cannot be stored
     */
    default void storeRevocation(byte[] message, long expireAt) {
    }

    /** What {@link #storeRevocation} kept and has not expired (a store may return expired ones too). */
    default java.util.List<byte[]> revocations() {
        return java.util.List.of();
    }

    /** Leaves the bus; nothing is delivered afterwards. */
    @Override
    void close();
}
