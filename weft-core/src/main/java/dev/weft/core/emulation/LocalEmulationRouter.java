package dev.weft.core.emulation;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.EmulationRequest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes emulation requests within one node: the request must name this node's id, and the session is
 * looked up in its hub. Completes immediately; never blocks ({@link ClientSession#handleFrame} only queues).
 *
 * <p>Thread-safe.
 */
public final class LocalEmulationRouter implements EmulationRouter {
    private final Node node;

    public LocalEmulationRouter(Node node) {
        this.node = node;
    }

    @Override
    public CompletionStage<Outcome> route(EmulationRequest request, ProtocolType format) {
        return CompletableFuture.completedFuture(deliver(request, format));
    }

    private Outcome deliver(EmulationRequest request, ProtocolType format) {
        if (!node.id().equals(request.node())) {
            return Outcome.UNKNOWN_NODE;
        }
        ClientSession session = node.emulationSession(request.session());
        if (session == null) {
            return Outcome.UNKNOWN_SESSION;
        }
        if (session.transport().protocolType() != format) {
            return Outcome.WRONG_FORMAT;
        }
        session.handleFrame(request.data());
        return Outcome.DELIVERED;
    }
}
