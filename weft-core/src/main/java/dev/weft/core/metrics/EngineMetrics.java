package dev.weft.core.metrics;

/**
 * Where the engine reports what its client sessions and publishes do, for an exporter the server binds
 * ({@code Node.setMetrics}); the engine itself depends on no metrics library. {@link #NONE} by default.
 *
 * <p>Implementations must be thread-safe and cheap: {@link TransportMetrics#sent} runs once per delivery of
 * every fan-out.
 */
public interface EngineMetrics {
    /** Reports nothing. */
    EngineMetrics NONE = new EngineMetrics() {
    };

    /**
     * The counters of one transport ({@code Transport.name()}, a small fixed set); a session asks once, when
     * it opens, and keeps the answer.
     */
    default TransportMetrics transport(String transport) {
        return TransportMetrics.NONE;
    }

    /** One client command of {@code method} ({@code "connect"}, {@code "publish"}, …) handled in {@code nanos}. */
    default void command(String method, long nanos) {
    }

    /** A client command of {@code method} answered with protocol error {@code code}. */
    default void commandError(String method, int code) {
    }

    /**
     * One publish handed to the broker (by a client or the server API) in {@code nanos}; {@code failed} when
     * it threw. {@code namespace} is the channel's configured namespace ("" for none): a bounded set.
     */
    default void brokerPublish(String namespace, long nanos, boolean failed) {
    }

    /** A subscribe that asked to recover: whether every missed publication came back, and how many did. */
    default void recovery(boolean recovered, int publications) {
    }
}
