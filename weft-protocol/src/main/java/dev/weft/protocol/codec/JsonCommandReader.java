package dev.weft.protocol.codec;

import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.FilterNode;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.SendRequest;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.UnsubscribeRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON {@link Command} object and its request. Field names are the snake_case names of the
 * protocol's protobuf fields; unknown fields are skipped. Stateless.
 */
final class JsonCommandReader {
    private JsonCommandReader() {
    }

    static Command command(JsonInput in) throws IOException, ProtocolDecodeException {
        in.beginRootObject("command");
        int id = 0;
        Request request = null;
        for (String field; (field = in.nextField()) != null; ) {
            Request next = switch (field) {
                case "id" -> {
                    id = in.requiredUint32(field);
                    yield null;
                }
                case "connect" -> in.object(field) ? connect(in) : null;
                case "subscribe" -> in.object(field) ? subscribe(in) : null;
                case "unsubscribe" -> in.object(field) ? unsubscribe(in) : null;
                case "publish" -> in.object(field) ? publish(in) : null;
                case "presence" -> in.object(field) ? presence(in) : null;
                case "presence_stats" -> in.object(field) ? presenceStats(in) : null;
                case "history" -> in.object(field) ? history(in) : null;
                case "ping" -> in.object(field) ? ping(in) : null;
                case "send" -> in.object(field) ? send(in) : null;
                case "rpc" -> in.object(field) ? rpc(in) : null;
                case "refresh" -> in.object(field) ? refresh(in) : null;
                case "sub_refresh" -> in.object(field) ? subRefresh(in) : null;
                default -> {
                    in.skipValue();
                    yield null;
                }
            };
            if (next != null) {
                if (request != null) {
                    throw new ProtocolDecodeException("command " + id + " has more than one request");
                }
                request = next;
            }
        }
        in.endRoot("command");
        return id == 0 && request == null ? Command.PONG : new Command(id, request);
    }

    /** A connect request object on its own, as unidirectional transports receive it. */
    static ConnectRequest bareConnect(JsonInput in) throws IOException, ProtocolDecodeException {
        in.beginRootObject("connect request");
        ConnectRequest request = connect(in);
        in.endRoot("connect request");
        return request;
    }

    private static ConnectRequest connect(JsonInput in) throws IOException, ProtocolDecodeException {
        String token = "";
        byte[] data = null;
        Map<String, SubscribeRequest> subs = Map.of();
        String name = "";
        String version = "";
        Map<String, String> headers = Map.of();
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "token" -> token = in.string(field);
                case "data" -> data = in.raw(field);
                case "subs" -> subs = subscribeRequests(in, field);
                case "name" -> name = in.string(field);
                case "version" -> version = in.string(field);
                case "headers" -> headers = in.stringMap(field);
                default -> in.skipValue();
            }
        }
        return new ConnectRequest(token, data, subs, name, version, headers);
    }

    private static Map<String, SubscribeRequest> subscribeRequests(JsonInput in, String field)
            throws IOException, ProtocolDecodeException {
        if (!in.object(field)) {
            return Map.of();
        }
        Map<String, SubscribeRequest> subs = new HashMap<>();
        for (String channel; (channel = in.nextField()) != null; ) {
            subs.put(channel, in.object(field) ? subscribe(in) : SubscribeRequest.of(""));
        }
        return subs;
    }

    private static SubscribeRequest subscribe(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        String token = "";
        boolean recover = false;
        String epoch = "";
        long offset = 0;
        byte[] data = null;
        boolean positioned = false;
        boolean recoverable = false;
        boolean joinLeave = false;
        String delta = "";
        FilterNode tagsFilter = null;
        long flag = 0;
        int type = SubscribeRequest.TYPE_STREAM;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "channel" -> channel = in.string(field);
                case "token" -> token = in.string(field);
                case "recover" -> recover = in.bool(field);
                case "epoch" -> epoch = in.string(field);
                case "offset" -> offset = in.uint64(field);
                case "data" -> data = in.raw(field);
                case "positioned" -> positioned = in.bool(field);
                case "recoverable" -> recoverable = in.bool(field);
                case "join_leave" -> joinLeave = in.bool(field);
                case "delta" -> delta = in.string(field);
                case "tf" -> tagsFilter = in.object(field) ? filterNode(in) : null;
                case "flag" -> flag = in.int64(field);
                case "type" -> type = in.int32(field);
                default -> in.skipValue();
            }
        }
        return new SubscribeRequest(channel, token, recover, epoch, offset, data, positioned, recoverable,
                joinLeave, delta, tagsFilter, flag, type);
    }

    private static FilterNode filterNode(JsonInput in) throws IOException, ProtocolDecodeException {
        String op = "";
        String key = "";
        String cmp = "";
        String val = "";
        List<String> vals = new ArrayList<>();
        List<FilterNode> nodes = new ArrayList<>();
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "op" -> op = in.string(field);
                case "key" -> key = in.string(field);
                case "cmp" -> cmp = in.string(field);
                case "val" -> val = in.string(field);
                case "vals" -> {
                    if (in.array(field)) {
                        for (String v; (v = in.nextStringElement(field)) != null; ) {
                            vals.add(v);
                        }
                    }
                }
                case "nodes" -> {
                    if (in.array(field)) {
                        while (in.nextObjectElement(field)) {
                            nodes.add(filterNode(in));
                        }
                    }
                }
                default -> in.skipValue();
            }
        }
        return new FilterNode(op, key, cmp, val, vals, nodes);
    }

    private static UnsubscribeRequest unsubscribe(JsonInput in) throws IOException, ProtocolDecodeException {
        return new UnsubscribeRequest(channelOnly(in));
    }

    private static PublishRequest publish(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        byte[] data = null;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "channel" -> channel = in.string(field);
                case "data" -> data = in.raw(field);
                default -> in.skipValue();
            }
        }
        return new PublishRequest(channel, data);
    }

    private static PresenceRequest presence(JsonInput in) throws IOException, ProtocolDecodeException {
        return new PresenceRequest(channelOnly(in));
    }

    private static PresenceStatsRequest presenceStats(JsonInput in) throws IOException, ProtocolDecodeException {
        return new PresenceStatsRequest(channelOnly(in));
    }

    private static HistoryRequest history(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        int limit = 0;
        StreamPosition since = null;
        boolean reverse = false;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "channel" -> channel = in.string(field);
                case "limit" -> limit = in.int32(field);
                case "since" -> since = in.object(field) ? streamPosition(in) : null;
                case "reverse" -> reverse = in.bool(field);
                default -> in.skipValue();
            }
        }
        return new HistoryRequest(channel, limit, since, reverse);
    }

    private static StreamPosition streamPosition(JsonInput in) throws IOException, ProtocolDecodeException {
        long offset = 0;
        String epoch = "";
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "offset" -> offset = in.uint64(field);
                case "epoch" -> epoch = in.string(field);
                default -> in.skipValue();
            }
        }
        return new StreamPosition(offset, epoch);
    }

    private static PingRequest ping(JsonInput in) throws IOException {
        in.skipRemainingFields();
        return new PingRequest();
    }

    private static SendRequest send(JsonInput in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("data")) {
                data = in.raw(field);
            } else {
                in.skipValue();
            }
        }
        return new SendRequest(data);
    }

    private static RpcRequest rpc(JsonInput in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        String method = "";
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "data" -> data = in.raw(field);
                case "method" -> method = in.string(field);
                default -> in.skipValue();
            }
        }
        return new RpcRequest(data, method);
    }

    private static RefreshRequest refresh(JsonInput in) throws IOException, ProtocolDecodeException {
        String token = "";
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("token")) {
                token = in.string(field);
            } else {
                in.skipValue();
            }
        }
        return new RefreshRequest(token);
    }

    private static SubRefreshRequest subRefresh(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        String token = "";
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "channel" -> channel = in.string(field);
                case "token" -> token = in.string(field);
                default -> in.skipValue();
            }
        }
        return new SubRefreshRequest(channel, token);
    }

    private static String channelOnly(JsonInput in) throws IOException, ProtocolDecodeException {
        String channel = "";
        for (String field; (field = in.nextField()) != null; ) {
            if (field.equals("channel")) {
                channel = in.string(field);
            } else {
                in.skipValue();
            }
        }
        return channel;
    }
}
