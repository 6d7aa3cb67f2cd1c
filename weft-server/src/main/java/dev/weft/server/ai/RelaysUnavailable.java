package dev.weft.server.ai;

import dev.weft.server.ai.relay.RelayHandle;
import dev.weft.server.ai.relay.RelaySink;
import dev.weft.server.ai.relay.UpstreamRelays;

/** Relays for a server that has none: every {@code "upstream"} is refused, with that reason. */
public final class RelaysUnavailable implements UpstreamRelays {
    public static final RelaysUnavailable INSTANCE = new RelaysUnavailable();

    private RelaysUnavailable() {
    }

    @Override
    public RelayHandle start(byte[] upstreamJson, RelaySink sink) {
        throw new IllegalArgumentException("relays are not available");
    }
}
