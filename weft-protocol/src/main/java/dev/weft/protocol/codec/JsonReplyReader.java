package dev.weft.protocol.codec;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.ProtocolError;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.PushBody;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.RefreshResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Result;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.SubRefreshResult;
import dev.weft.protocol.model.SubscribePush;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import dev.weft.protocol.model.UnsubscribeResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON {@link Reply} object: a result, an error, a push or the empty ping. The client side of the
 * protocol (tests, benchmarks, tools). Unknown fields are skipped. Stateless.
 */
final class JsonReplyReader {
    private JsonReplyReader() {
    }

    static Reply reply(JsonInput in) throws IOException, ProtocolDecodeException {
        in.beginRootObject("reply");
        int id = 0;
        ProtocolError error = null;
        Result result = null;
        for (String field; (field = in.nextField()) != null; ) {
            Result next = switch (field) {
                case "id" -> {
                    id = in.requiredUint32(field);
                    yield null;
                }
                case "error" -> {
                    error = in.object(field) ? error(in) : null;
                    yield null;
                }
                case "push" -> in.object(field) ? push(in) : null;
                case "connect" -> in.object(field) ? connect(in) : null;
                case "subscribe" -> in.object(field) ? subscribeResult(in) : null;
                case "unsubscribe" -> in.object(field) ? empty(in, new UnsubscribeResult()) : null;
                case "publish" -> in.object(field) ? empty(in, new PublishResult()) : null;
                case "presence" -> in.object(field) ? presence(in) : null;
                case "presence_stats" -> in.object(field) ? presenceStats(in) : null;
                case "history" -> in.object(field) ? history(in) : null;
                case "ping" -> in.object(field) ? empty(in, new PingResult()) : null;
                case "rpc" -> in.object(field) ? new RpcResult(dataOnly(in)) : null;
                case "refresh" -> in.object(field) ? refresh(in) : null;
                case "sub_refresh" -> in.object(field) ? subRefresh(in) : null;
                default -> {
                    in.skipValue();
                    yield null;
                }
            };
            if (next != null) {
                if (result != null) {
                    throw new ProtocolDecodeException("reply " + id + " has more than one result");
                }
                result = next;
            }
        }
        in.endRoot("reply");
        return id == 0 && error == null && result == null ? Reply.PING : new Reply(id, error, result);
    }

    private static ProtocolError error(JsonInput in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String message = "";
        boolean temporary = false;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "code" -> code = in.uint32(field);
                case "message" -> message = in.string(field);
                case "temporary" -> temporary = in.bool(field);
                default -> in.skipValue();
            }
        }
        return new ProtocolError(code, message, temporary);
    }

    /** One push object without a reply around it (unidirectional transports); {@code {}} is the ping. */
    static Push bare(JsonInput in) throws IOException, ProtocolDecodeException {
        in.beginRootObject("push");
        Push push = push(in);
        in.endRoot("push");
        return push;
    }

    private static Push push(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        PushBody body = null;
        for (String field; (field = in.nextField()) != null; ) {
            PushBody next = switch (field) {
                case "channel" -> {
                    channel = in.string(field);
                    yield null;
                }
                case "pub" -> in.object(field) ? publication(in) : null;
                case "join" -> in.object(field) ? new Join(infoOnly(in)) : null;
                case "leave" -> in.object(field) ? new Leave(infoOnly(in)) : null;
                case "unsubscribe" -> in.object(field) ? unsubscribePush(in) : null;
                case "message" -> in.object(field) ? new Message(dataOnly(in)) : null;
                case "subscribe" -> in.object(field) ? subscribePush(in) : null;
                case "connect" -> in.object(field) ? connect(in) : null;
                case "disconnect" -> in.object(field) ? disconnect(in) : null;
                case "refresh" -> in.object(field) ? refreshPush(in) : null;
                default -> {
                    in.skipValue();
                    yield null;
                }
            };
            if (next != null) {
                if (body != null) {
                    throw new ProtocolDecodeException("push has more than one body");
                }
                body = next;
            }
        }
        return new Push(channel, body);
    }

    private static ClientInfo clientInfo(JsonInput in) throws IOException, ProtocolDecodeException {
        String user = "";
        String client = "";
        byte[] connInfo = null;
        byte[] chanInfo = null;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "user" -> user = in.string(field);
                case "client" -> client = in.string(field);
                case "conn_info" -> connInfo = in.raw(field);
                case "chan_info" -> chanInfo = in.raw(field);
                default -> in.skipValue();
            }
        }
        return new ClientInfo(user, client, connInfo, chanInfo);
    }

    private static Publication publication(JsonInput in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        ClientInfo info = null;
        long offset = 0;
        Map<String, String> tags = Map.of();
        boolean delta = false;
        long time = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "data" -> data = in.raw(field);
                case "info" -> info = in.object(field) ? clientInfo(in) : null;
                case "offset" -> offset = in.uint64(field);
                case "tags" -> tags = in.stringMap(field);
                case "delta" -> delta = in.bool(field);
                case "time" -> time = in.int64(field);
                default -> in.skipValue();
            }
        }
        return new Publication(data, info, offset, tags, delta, time);
    }

    private static List<Publication> publications(JsonInput in, String field)
            throws IOException, ProtocolDecodeException {
        if (!in.array(field)) {
            return List.of();
        }
        List<Publication> publications = new ArrayList<>();
        while (in.nextObjectElement(field)) {
            publications.add(publication(in));
        }
        return publications;
    }

    private static ClientInfo infoOnly(JsonInput in) throws IOException, ProtocolDecodeException {
        ClientInfo info = null;
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("info")) {
                info = in.object(field) ? clientInfo(in) : null;
            } else {
                in.skipValue();
            }
        }
        return info;
    }

    private static byte[] dataOnly(JsonInput in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("data")) {
                data = in.raw(field);
            } else {
                in.skipValue();
            }
        }
        return data;
    }

    private static UnsubscribePush unsubscribePush(JsonInput in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String reason = "";
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "code" -> code = in.uint32(field);
                case "reason" -> reason = in.string(field);
                default -> in.skipValue();
            }
        }
        return new UnsubscribePush(code, reason);
    }

    private static SubscribePush subscribePush(JsonInput in) throws IOException, ProtocolDecodeException {
        boolean recoverable = false;
        String epoch = "";
        long offset = 0;
        boolean positioned = false;
        byte[] data = null;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "recoverable" -> recoverable = in.bool(field);
                case "epoch" -> epoch = in.string(field);
                case "offset" -> offset = in.uint64(field);
                case "positioned" -> positioned = in.bool(field);
                case "data" -> data = in.raw(field);
                default -> in.skipValue();
            }
        }
        return new SubscribePush(recoverable, epoch, offset, positioned, data);
    }

    /** A connect result, or (same JSON names) the {@code connect} push of unidirectional transports. */
    private static ConnectResult connect(JsonInput in) throws IOException, ProtocolDecodeException {
        String client = "";
        String version = "";
        boolean expires = false;
        int ttl = 0;
        byte[] data = null;
        Map<String, SubscribeResult> subs = Map.of();
        int ping = 0;
        boolean pong = false;
        String session = "";
        String node = "";
        long time = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "client" -> client = in.string(field);
                case "version" -> version = in.string(field);
                case "expires" -> expires = in.bool(field);
                case "ttl" -> ttl = in.uint32(field);
                case "data" -> data = in.raw(field);
                case "subs" -> subs = subscribeResults(in, field);
                case "ping" -> ping = in.uint32(field);
                case "pong" -> pong = in.bool(field);
                case "session" -> session = in.string(field);
                case "node" -> node = in.string(field);
                case "time" -> time = in.int64(field);
                default -> in.skipValue();
            }
        }
        return new ConnectResult(client, version, expires, ttl, data, subs, ping, pong, session, node, time);
    }

    private static Map<String, SubscribeResult> subscribeResults(JsonInput in, String field)
            throws IOException, ProtocolDecodeException {
        if (!in.object(field)) {
            return Map.of();
        }
        Map<String, SubscribeResult> subs = new HashMap<>();
        for (String channel; (channel = in.nextField()) != null; ) {
            subs.put(channel, in.object(field) ? subscribeResult(in) : emptySubscribeResult());
        }
        return subs;
    }

    private static SubscribeResult emptySubscribeResult() {
        return new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false);
    }

    private static Disconnect disconnect(JsonInput in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String reason = "";
        boolean reconnect = false;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "code" -> code = in.uint32(field);
                case "reason" -> reason = in.string(field);
                case "reconnect" -> reconnect = in.bool(field);
                default -> in.skipValue();
            }
        }
        return new Disconnect(code, reason, reconnect);
    }

    private static RefreshPush refreshPush(JsonInput in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "expires" -> expires = in.bool(field);
                case "ttl" -> ttl = in.uint32(field);
                default -> in.skipValue();
            }
        }
        return new RefreshPush(expires, ttl);
    }

    private static SubscribeResult subscribeResult(JsonInput in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        boolean recoverable = false;
        String epoch = "";
        List<Publication> publications = List.of();
        boolean recovered = false;
        long offset = 0;
        boolean positioned = false;
        byte[] data = null;
        boolean wasRecovering = false;
        boolean delta = false;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "expires" -> expires = in.bool(field);
                case "ttl" -> ttl = in.uint32(field);
                case "recoverable" -> recoverable = in.bool(field);
                case "epoch" -> epoch = in.string(field);
                case "publications" -> publications = publications(in, field);
                case "recovered" -> recovered = in.bool(field);
                case "offset" -> offset = in.uint64(field);
                case "positioned" -> positioned = in.bool(field);
                case "data" -> data = in.raw(field);
                case "was_recovering" -> wasRecovering = in.bool(field);
                case "delta" -> delta = in.bool(field);
                default -> in.skipValue();
            }
        }
        return new SubscribeResult(expires, ttl, recoverable, epoch, publications, recovered, offset, positioned,
                data, wasRecovering, delta);
    }

    private static <T extends Result> T empty(JsonInput in, T result) throws IOException {
        in.skipRemainingFields();
        return result;
    }

    private static PresenceResult presence(JsonInput in) throws IOException, ProtocolDecodeException {
        Map<String, ClientInfo> presence = Map.of();
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("presence")) {
                presence = clientInfos(in, field);
            } else {
                in.skipValue();
            }
        }
        return new PresenceResult(presence);
    }

    private static Map<String, ClientInfo> clientInfos(JsonInput in, String field)
            throws IOException, ProtocolDecodeException {
        if (!in.object(field)) {
            return Map.of();
        }
        Map<String, ClientInfo> infos = new HashMap<>();
        for (String client; (client = in.nextField()) != null; ) {
            infos.put(client, in.object(field) ? clientInfo(in) : new ClientInfo("", "", null, null));
        }
        return infos;
    }

    private static PresenceStatsResult presenceStats(JsonInput in) throws IOException, ProtocolDecodeException {
        int numClients = 0;
        int numUsers = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "num_clients" -> numClients = in.uint32(field);
                case "num_users" -> numUsers = in.uint32(field);
                default -> in.skipValue();
            }
        }
        return new PresenceStatsResult(numClients, numUsers);
    }

    private static HistoryResult history(JsonInput in) throws IOException, ProtocolDecodeException {
        List<Publication> publications = List.of();
        String epoch = "";
        long offset = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "publications" -> publications = publications(in, field);
                case "epoch" -> epoch = in.string(field);
                case "offset" -> offset = in.uint64(field);
                default -> in.skipValue();
            }
        }
        return new HistoryResult(publications, epoch, offset);
    }

    private static RefreshResult refresh(JsonInput in) throws IOException, ProtocolDecodeException {
        String client = "";
        String version = "";
        boolean expires = false;
        int ttl = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "client" -> client = in.string(field);
                case "version" -> version = in.string(field);
                case "expires" -> expires = in.bool(field);
                case "ttl" -> ttl = in.uint32(field);
                default -> in.skipValue();
            }
        }
        return new RefreshResult(client, version, expires, ttl);
    }

    private static SubRefreshResult subRefresh(JsonInput in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "expires" -> expires = in.bool(field);
                case "ttl" -> ttl = in.uint32(field);
                default -> in.skipValue();
            }
        }
        return new SubRefreshResult(expires, ttl);
    }
}
