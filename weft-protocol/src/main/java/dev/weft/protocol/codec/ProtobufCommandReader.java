package dev.weft.protocol.codec;

import com.google.protobuf.CodedInputStream;
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

import static dev.weft.protocol.codec.ProtobufInput.bool;
import static dev.weft.protocol.codec.ProtobufInput.bytes;
import static dev.weft.protocol.codec.ProtobufInput.dataOnly;
import static dev.weft.protocol.codec.ProtobufInput.fieldNumber;
import static dev.weft.protocol.codec.ProtobufInput.int32;
import static dev.weft.protocol.codec.ProtobufInput.int64;
import static dev.weft.protocol.codec.ProtobufInput.mapEntry;
import static dev.weft.protocol.codec.ProtobufInput.message;
import static dev.weft.protocol.codec.ProtobufInput.skip;
import static dev.weft.protocol.codec.ProtobufInput.skipAll;
import static dev.weft.protocol.codec.ProtobufInput.string;
import static dev.weft.protocol.codec.ProtobufInput.stringMapEntry;
import static dev.weft.protocol.codec.ProtobufInput.uint32;
import static dev.weft.protocol.codec.ProtobufInput.uint64;

/**
 * Reads a Protobuf {@link Command} body and its request; field numbers are those of client.proto.
 * Stateless.
 */
final class ProtobufCommandReader {
    private ProtobufCommandReader() {
    }

    static Command command(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int id = 0;
        Request request = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            Request next = switch (fieldNumber(tag)) {
                case 1 -> {
                    id = uint32(in, tag, "id");
                    yield null;
                }
                case 4 -> message(in, tag, "connect", ProtobufCommandReader::connect);
                case 5 -> message(in, tag, "subscribe", ProtobufCommandReader::subscribe);
                case 6 -> message(in, tag, "unsubscribe", r -> new UnsubscribeRequest(channelOnly(r)));
                case 7 -> message(in, tag, "publish", ProtobufCommandReader::publish);
                case 8 -> message(in, tag, "presence", r -> new PresenceRequest(channelOnly(r)));
                case 9 -> message(in, tag, "presence_stats", r -> new PresenceStatsRequest(channelOnly(r)));
                case 10 -> message(in, tag, "history", ProtobufCommandReader::history);
                case 11 -> message(in, tag, "ping", r -> skipAll(r, new PingRequest()));
                case 12 -> message(in, tag, "send", r -> new SendRequest(dataOnly(r)));
                case 13 -> message(in, tag, "rpc", ProtobufCommandReader::rpc);
                case 14 -> message(in, tag, "refresh", ProtobufCommandReader::refresh);
                case 15 -> message(in, tag, "sub_refresh", ProtobufCommandReader::subRefresh);
                default -> {
                    skip(in, tag);
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
        return id == 0 && request == null ? Command.PONG : new Command(id, request);
    }

    /** A {@code ConnectRequest} message on its own (no command around it), read to the end of {@code in}. */
    static ConnectRequest bareConnect(CodedInputStream in) throws IOException, ProtocolDecodeException {
        return connect(in);
    }

    private static ConnectRequest connect(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String token = "";
        byte[] data = null;
        Map<String, SubscribeRequest> subs = new HashMap<>();
        String name = "";
        String version = "";
        Map<String, String> headers = new HashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> token = string(in, tag, "token");
                case 2 -> data = bytes(in, tag, "data");
                case 3 -> mapEntry(in, tag, "subs", subs, ProtobufCommandReader::subscribe, SubscribeRequest.of(""));
                case 4 -> name = string(in, tag, "name");
                case 5 -> version = string(in, tag, "version");
                case 6 -> stringMapEntry(in, tag, "headers", headers);
                default -> skip(in, tag);
            }
        }
        return new ConnectRequest(token, data, subs, name, version, headers);
    }

    private static SubscribeRequest subscribe(CodedInputStream in) throws IOException, ProtocolDecodeException {
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
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> channel = string(in, tag, "channel");
                case 2 -> token = string(in, tag, "token");
                case 3 -> recover = bool(in, tag, "recover");
                case 6 -> epoch = string(in, tag, "epoch");
                case 7 -> offset = uint64(in, tag, "offset");
                case 8 -> data = bytes(in, tag, "data");
                case 9 -> positioned = bool(in, tag, "positioned");
                case 10 -> recoverable = bool(in, tag, "recoverable");
                case 11 -> joinLeave = bool(in, tag, "join_leave");
                case 12 -> delta = string(in, tag, "delta");
                case 13 -> tagsFilter = message(in, tag, "tf", ProtobufCommandReader::filterNode);
                case 14 -> flag = int64(in, tag, "flag");
                case 15 -> type = int32(in, tag, "type");
                default -> skip(in, tag);
            }
        }
        return new SubscribeRequest(channel, token, recover, epoch, offset, data, positioned, recoverable,
                joinLeave, delta, tagsFilter, flag, type);
    }

    private static FilterNode filterNode(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String op = "";
        String key = "";
        String cmp = "";
        String val = "";
        List<String> vals = new ArrayList<>();
        List<FilterNode> nodes = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> op = string(in, tag, "op");
                case 2 -> key = string(in, tag, "key");
                case 3 -> cmp = string(in, tag, "cmp");
                case 4 -> val = string(in, tag, "val");
                case 5 -> vals.add(string(in, tag, "vals"));
                case 6 -> nodes.add(message(in, tag, "nodes", ProtobufCommandReader::filterNode));
                default -> skip(in, tag);
            }
        }
        return new FilterNode(op, key, cmp, val, vals, nodes);
    }

    private static PublishRequest publish(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String channel = "";
        byte[] data = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> channel = string(in, tag, "channel");
                case 2 -> data = bytes(in, tag, "data");
                default -> skip(in, tag);
            }
        }
        return new PublishRequest(channel, data);
    }

    private static HistoryRequest history(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String channel = "";
        int limit = 0;
        StreamPosition since = null;
        boolean reverse = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> channel = string(in, tag, "channel");
                case 7 -> limit = int32(in, tag, "limit");
                case 8 -> since = message(in, tag, "since", ProtobufCommandReader::streamPosition);
                case 9 -> reverse = bool(in, tag, "reverse");
                default -> skip(in, tag);
            }
        }
        return new HistoryRequest(channel, limit, since, reverse);
    }

    private static StreamPosition streamPosition(CodedInputStream in) throws IOException, ProtocolDecodeException {
        long offset = 0;
        String epoch = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> offset = uint64(in, tag, "offset");
                case 2 -> epoch = string(in, tag, "epoch");
                default -> skip(in, tag);
            }
        }
        return new StreamPosition(offset, epoch);
    }

    private static RpcRequest rpc(CodedInputStream in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        String method = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> data = bytes(in, tag, "data");
                case 2 -> method = string(in, tag, "method");
                default -> skip(in, tag);
            }
        }
        return new RpcRequest(data, method);
    }

    private static RefreshRequest refresh(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String token = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (fieldNumber(tag) == 1) {
                token = string(in, tag, "token");
            } else {
                skip(in, tag);
            }
        }
        return new RefreshRequest(token);
    }

    private static SubRefreshRequest subRefresh(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String channel = "";
        String token = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> channel = string(in, tag, "channel");
                case 2 -> token = string(in, tag, "token");
                default -> skip(in, tag);
            }
        }
        return new SubRefreshRequest(channel, token);
    }

    /** Messages whose only field is {@code string channel = 1}. */
    private static String channelOnly(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String channel = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (fieldNumber(tag) == 1) {
                channel = string(in, tag, "channel");
            } else {
                skip(in, tag);
            }
        }
        return channel;
    }
}
