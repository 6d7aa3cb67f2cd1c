package dev.weft.server.stream;

import dev.weft.core.transport.PushFormat;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;

/**
 * What the HTTP streams' engine transports (plain SSE, AI stream readers) have in common: one-way, JSON
 * protocol, pushes encoded by the stream's own {@link PushFormat}. Writing, closing and the connection's
 * address and headers stay with the subclass. Immutable here; subclasses say their own thread-safety.
 */
public abstract class PushOnlyTransport implements Transport {
    private final String name;
    private final PushFormat pushFormat;

    protected PushOnlyTransport(String name, PushFormat pushFormat) {
        this.name = name;
        this.pushFormat = pushFormat;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ProtocolType protocolType() {
        return ProtocolType.JSON;
    }

    @Override
    public final PushFormat pushFormat() {
        return pushFormat;
    }

    @Override
    public final boolean unidirectional() {
        return true;
    }
}
