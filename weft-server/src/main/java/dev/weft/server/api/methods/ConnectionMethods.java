package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.UserConnections;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.ConnectionState;
import dev.weft.server.api.model.ConnectionsRequest;
import dev.weft.server.api.model.ConnectionsResult;
import dev.weft.server.api.model.DisconnectRequest;
import dev.weft.server.api.model.EmptyResult;
import dev.weft.server.api.model.RefreshRequest;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code disconnect} and {@code refresh} of a user's connections ({@link Node#disconnect}, {@link Node#refresh}),
 * and {@code connections}, which lists them with their subscriptions ({@link Node#connections}).
 * Thread-safe; the answer does not wait for the connections: each applies the change in its own command order.
 */
public final class ConnectionMethods {
    /** A WebSocket close frame holds 125 bytes: the 2-byte code and at most 123 bytes of reason. */
    private static final int MAX_REASON_BYTES = 123;

    private final Node node;

    public ConnectionMethods(Node node) {
        this.node = node;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("disconnect", "Disconnect a user's connections", DisconnectRequest.class,
                        EmptyResult.class, "{\"user\":\"42\",\"disconnect\":{\"code\":4500,\"reason\":\"banned\"}}",
                        this::disconnect),
                ApiMethod.of("refresh", "Set a new expiry (or info) for a user's connections, or expire them",
                        RefreshRequest.class, EmptyResult.class, "{\"user\":\"42\",\"expire_at\":4102444800}",
                        this::refresh),
                ApiMethod.of("connections", "A user's connections on this node and their subscriptions",
                        ConnectionsRequest.class, ConnectionsResult.class, "{\"user\":\"42\"}", this::connections));
    }

    EmptyResult disconnect(DisconnectRequest r) {
        Payloads.unsupported(!r.session().isEmpty(), "session");
        dev.weft.protocol.model.Disconnect disconnect = DisconnectCode.FORCE_NO_RECONNECT.disconnect();
        if (r.disconnect() != null) {
            int code = r.disconnect().code();
            if (code < 3000 || code > 4999) {
                throw new ApiException(ApiError.BAD_REQUEST, "disconnect code must be within 3000–4999");
            }
            if (r.disconnect().reason().getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                throw new ApiException(ApiError.BAD_REQUEST,
                        "disconnect reason longer than " + MAX_REASON_BYTES + " bytes");
            }
            disconnect = new dev.weft.protocol.model.Disconnect(code, r.disconnect().reason(),
                    DisconnectCode.reconnects(code));
        }
        node.disconnect(new UserConnections(r.user(), r.client(), new HashSet<>(r.whitelist())), disconnect)
                .toCompletableFuture().join();
        return EmptyResult.INSTANCE;
    }

    EmptyResult refresh(RefreshRequest r) {
        Payloads.unsupported(!r.session().isEmpty(), "session");
        byte[] info = Payloads.read(r.info(), null, "info");
        node.refresh(UserConnections.of(r.user(), r.client()), r.expireAt(), info, r.expired())
                .toCompletableFuture().join();
        return EmptyResult.INSTANCE;
    }

    ConnectionsResult connections(ConnectionsRequest r) {
        Map<String, ConnectionState> out = new LinkedHashMap<>();
        node.connections(r.user(), r.limit()).forEach(c -> out.put(c.clientId(),
                new ConnectionState(c.user(), c.transport(), c.remoteAddress(), c.channels())));
        return new ConnectionsResult(out);
    }
}
