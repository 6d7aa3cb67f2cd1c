package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.DisconnectRequest;
import dev.weft.server.api.model.EmptyResult;
import dev.weft.server.api.model.RefreshRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code disconnect} and {@code refresh} of a user's connections on this node. Thread-safe; nothing blocks:
 * each connection applies the change in its own command order.
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
                        this::refresh));
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
        for (ClientSession s : Sessions.of(node, r.user(), r.client())) {
            if (!r.whitelist().contains(s.clientId())) {
                s.disconnect(disconnect);
            }
        }
        return EmptyResult.INSTANCE;
    }

    EmptyResult refresh(RefreshRequest r) {
        Payloads.unsupported(!r.session().isEmpty(), "session");
        byte[] info = Payloads.read(r.info(), null, "info");
        long now = node.clock().instant().getEpochSecond();
        boolean expireNow = r.expired() || (r.expireAt() > 0 && r.expireAt() <= now);
        for (ClientSession s : Sessions.of(node, r.user(), r.client())) {
            if (expireNow) {
                s.disconnect(DisconnectCode.EXPIRED.disconnect());
            } else {
                s.serverRefresh(r.expireAt(), info);
            }
        }
        return EmptyResult.INSTANCE;
    }
}
