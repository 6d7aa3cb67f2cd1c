package dev.weft.server.ai.relay;

/**
 * Starts relays: Weft calls a model API itself and writes its answer into a stream. Thread-safe.
 */
public interface UpstreamRelays {

    /**
     * Starts relaying the upstream described by {@code upstreamJson} (the bytes of the {@code "upstream"} object
     * of {@code POST /api/streams}: {@code url} or a configured upstream's name, {@code headers}, {@code body},
     * {@code format}) into {@code sink}; returns at once, the relay runs on its own (virtual) thread.
     *
     * @throws IllegalArgumentException when the description is invalid; the message says why, for the API caller
     * @throws IllegalStateException    when this node already runs as many relays as it may; the message says so
     */
    RelayHandle start(byte[] upstreamJson, RelaySink sink);
}
