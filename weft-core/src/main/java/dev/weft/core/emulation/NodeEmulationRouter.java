package dev.weft.core.emulation;

import dev.weft.core.Node;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.EmulationRequest;

import java.util.concurrent.CompletionStage;

/**
 * Routes emulation requests through the node: a request naming this node's id goes to the session in its
 * hub; one naming another node of the cluster is forwarded to it over the control bus and answered when that
 * node replies (or, after a timeout, as an unknown node). Never blocks ({@code ClientSession.handleFrame} only
 * queues).
 *
 * <p>Thread-safe.
 */
public final class NodeEmulationRouter implements EmulationRouter {
    private final Node node;

    public NodeEmulationRouter(Node node) {
        this.node = node;
    }

    @Override
    public CompletionStage<Outcome> route(EmulationRequest request, ProtocolType format) {
        return node.deliverEmulation(request.node(), request.session(), format, request.data())
                .thenApply(NodeEmulationRouter::outcome);
    }

    /** The outcome a node answered; one this version does not know (a newer node's) counts as no such node. */
    private static Outcome outcome(String name) {
        for (Outcome o : Outcome.values()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return Outcome.UNKNOWN_NODE;
    }
}
