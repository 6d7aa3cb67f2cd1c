package dev.weft.core.emulation;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.EmulationRequest;

import java.util.concurrent.CompletionStage;

/**
 * Delivers the commands of an {@code /emulation} request to the session they belong to, wherever it lives.
 * The request names the node ({@link dev.weft.core.Node#id()}) and the session
 * ({@link dev.weft.core.client.ClientSession#sessionId()}) from the client's connect result; the HTTP request
 * may reach any node behind a load balancer.
 *
 * <p>{@link NodeEmulationRouter} serves a single node. A scale-out broker (Redis, NATS) implements this to
 * forward requests for other nodes over its control channel; the endpoint does not change.
 *
 * <p>Implementations are thread-safe and must not block the caller (a network event loop): remote delivery
 * completes the returned stage later.
 */
public interface EmulationRouter {

    /** What became of a request. */
    enum Outcome {
        /** Handed to the session, which processes it in order with its other commands. */
        DELIVERED,
        /** No such node (restarted, gone): the client's session is gone with it. */
        UNKNOWN_NODE,
        /** The node is there but holds no such session (closed meanwhile, or never existed). */
        UNKNOWN_SESSION,
        /** The request's framing (JSON or Protobuf) is not the session's protocol. */
        WRONG_FORMAT
    }

    /**
     * Routes the commands in {@code request.data()}.
     *
     * @param format the framing the request arrived in; its commands are in the same format
     */
    CompletionStage<Outcome> route(EmulationRequest request, ProtocolType format);
}
