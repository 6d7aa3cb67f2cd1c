package dev.weft.server.ai.relay;

/** A running relay. Thread-safe. */
public interface RelayHandle {

    /**
     * Aborts the upstream request now (the upstream sees its connection closed). After this returns the relay
     * calls its sink no more, not even {@link RelaySink#failed}; idempotent.
     */
    void cancel();
}
