package dev.weft.core.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.model.Disconnect;

import java.util.Set;

/**
 * One message between nodes, as {@link ControlCodec} puts it on the wire (JSON, version {@link #VERSION}).
 * A flat record: each {@link #type} uses the fields its factory sets and leaves the others empty. Payloads
 * ({@code info}, {@code data}) travel as the bytes they are.
 *
 * <p>Types: {@code node} (heartbeat), {@code goodbye} (a node leaving), {@code control} (an operation on a
 * user's connections; {@code op} says which) and its {@code control_reply}, {@code revoke_token},
 * {@code invalidate_user}, {@code emulation} and its {@code emulation_reply}.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record ControlMessage(
        int v, String type, long requestId, NodeInfo node,
        String user, String client, Set<String> except,
        String op, String channel, ChannelOptions options, byte[] info, byte[] data,
        Disconnect disconnect, long expireAt, boolean expired,
        String jti, long issuedBefore,
        String session, String format, String outcome, int connections) {

    public static final int VERSION = 1;

    public static final String NODE = "node";
    public static final String GOODBYE = "goodbye";
    public static final String CONTROL = "control";
    public static final String CONTROL_REPLY = "control_reply";
    public static final String REVOKE_TOKEN = "revoke_token";
    public static final String INVALIDATE_USER = "invalidate_user";
    public static final String EMULATION = "emulation";
    public static final String EMULATION_REPLY = "emulation_reply";

    public static final String OP_SUBSCRIBE = "subscribe";
    public static final String OP_UNSUBSCRIBE = "unsubscribe";
    public static final String OP_DISCONNECT = "disconnect";
    public static final String OP_REFRESH = "refresh";
    public static final String OP_MESSAGE = "message";

    public ControlMessage {
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        except = except == null ? Set.of() : Set.copyOf(except);
        type = type == null ? "" : type;
        op = op == null ? "" : op;
        channel = channel == null ? "" : channel;
        jti = jti == null ? "" : jti;
        session = session == null ? "" : session;
        format = format == null ? "" : format;
        outcome = outcome == null ? "" : outcome;
    }

    private static ControlMessage of(String type) {
        return new ControlMessage(VERSION, type, 0, null, "", "", Set.of(), "", "", null, null, null, null, 0,
                false, "", 0, "", "", "", 0);
    }

    public static ControlMessage heartbeat(NodeInfo node) {
        return of(NODE).with(node);
    }

    public static ControlMessage goodbye() {
        return of(GOODBYE);
    }

    /** An operation on the connections of {@code user} ({@code client}: one; {@code except}: kept out). */
    public static ControlMessage control(String op, String user, String client, Set<String> except) {
        return new ControlMessage(VERSION, CONTROL, 0, null, user, client, except, op, "", null, null, null,
                null, 0, false, "", 0, "", "", "", 0);
    }

    public static ControlMessage controlReply(long requestId, int connections) {
        return new ControlMessage(VERSION, CONTROL_REPLY, requestId, null, "", "", Set.of(), "", "", null, null,
                null, null, 0, false, "", 0, "", "", "", connections);
    }

    public static ControlMessage revokeToken(String jti, long expireAt) {
        return new ControlMessage(VERSION, REVOKE_TOKEN, 0, null, "", "", Set.of(), "", "", null, null, null,
                null, expireAt, false, jti, 0, "", "", "", 0);
    }

    public static ControlMessage invalidateUser(String user, long issuedBefore) {
        return new ControlMessage(VERSION, INVALIDATE_USER, 0, null, user, "", Set.of(), "", "", null, null,
                null, null, 0, false, "", issuedBefore, "", "", "", 0);
    }

    public static ControlMessage emulation(String session, String format, byte[] data) {
        return new ControlMessage(VERSION, EMULATION, 0, null, "", "", Set.of(), "", "", null, null, data,
                null, 0, false, "", 0, session, format, "", 0);
    }

    public static ControlMessage emulationReply(long requestId, String outcome) {
        return new ControlMessage(VERSION, EMULATION_REPLY, requestId, null, "", "", Set.of(), "", "", null,
                null, null, null, 0, false, "", 0, "", "", outcome, 0);
    }

    public ControlMessage with(NodeInfo n) {
        return new ControlMessage(v, type, requestId, n, user, client, except, op, channel, options, info, data,
                disconnect, expireAt, expired, jti, issuedBefore, session, format, outcome, connections);
    }

    public ControlMessage withRequestId(long id) {
        return new ControlMessage(v, type, id, node, user, client, except, op, channel, options, info, data,
                disconnect, expireAt, expired, jti, issuedBefore, session, format, outcome, connections);
    }

    /** The control operation's arguments: channel, subscribe options, info and data bytes. */
    public ControlMessage withArguments(String ch, ChannelOptions opts, byte[] inf, byte[] dat) {
        return new ControlMessage(v, type, requestId, node, user, client, except, op, ch, opts, inf, dat,
                disconnect, expireAt, expired, jti, issuedBefore, session, format, outcome, connections);
    }

    public ControlMessage withDisconnect(Disconnect d) {
        return new ControlMessage(v, type, requestId, node, user, client, except, op, channel, options, info, data,
                d, expireAt, expired, jti, issuedBefore, session, format, outcome, connections);
    }

    public ControlMessage withExpiry(long at, boolean now) {
        return new ControlMessage(v, type, requestId, node, user, client, except, op, channel, options, info, data,
                disconnect, at, now, jti, issuedBefore, session, format, outcome, connections);
    }
}
