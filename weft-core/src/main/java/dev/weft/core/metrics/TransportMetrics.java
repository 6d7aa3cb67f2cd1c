package dev.weft.core.metrics;

/**
 * Counters of one transport, held by every session on it (see {@link EngineMetrics#transport}).
 * Thread-safe; {@link #sent} is on the fan-out path.
 */
public interface TransportMetrics {
    /** Counts nothing. */
    TransportMetrics NONE = new TransportMetrics() {
    };

    /** A session opened on this transport. */
    default void opened() {
    }

    /** A session on this transport closed with disconnect {@code code} (3000 when the client went away). */
    default void closed(int code) {
    }

    /** One frame of {@code bytes} queued for a client. */
    default void sent(int bytes) {
    }

    /** One frame of {@code bytes} received from a client. */
    default void received(int bytes) {
    }
}
