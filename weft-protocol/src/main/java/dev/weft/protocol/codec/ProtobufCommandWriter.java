package dev.weft.protocol.codec;

import com.google.protobuf.CodedOutputStream;
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
import java.util.Map;

/**
 * Encodes {@link Command}s (the client side of the protocol) with client.proto's field numbers. One
 * instance per frame; not thread-safe (see {@link ProtobufWriter}).
 */
final class ProtobufCommandWriter extends ProtobufWriter<Command> {

    @Override
    int size(Command command) {
        int size = uint32Size(1, command.id());
        Request request = command.request();
        if (request != null) {
            size += messageSize(fieldNumber(request), requestSize(request));
        }
        return size;
    }

    @Override
    void writeBody(CodedOutputStream out, Command command) throws IOException {
        uint32(out, 1, command.id());
        Request request = command.request();
        if (request != null) {
            nested(out, fieldNumber(request));
            writeRequest(out, request);
        }
    }

    private static int fieldNumber(Request request) {
        return switch (request) {
            case ConnectRequest r -> 4;
            case SubscribeRequest r -> 5;
            case UnsubscribeRequest r -> 6;
            case PublishRequest r -> 7;
            case PresenceRequest r -> 8;
            case PresenceStatsRequest r -> 9;
            case HistoryRequest r -> 10;
            case PingRequest r -> 11;
            case SendRequest r -> 12;
            case RpcRequest r -> 13;
            case RefreshRequest r -> 14;
            case SubRefreshRequest r -> 15;
        };
    }

    /** Body size of a request; reserves its slot first. */
    private int requestSize(Request request) {
        int slot = reserve();
        int size = switch (request) {
            case ConnectRequest r -> connectSize(r);
            case SubscribeRequest r -> subscribeSize(r);
            case UnsubscribeRequest r -> stringSize(1, r.channel());
            case PublishRequest r -> stringSize(1, r.channel()) + bytesSize(2, r.data());
            case PresenceRequest r -> stringSize(1, r.channel());
            case PresenceStatsRequest r -> stringSize(1, r.channel());
            case HistoryRequest r -> historySize(r);
            case PingRequest r -> 0;
            case SendRequest r -> bytesSize(1, r.data());
            case RpcRequest r -> bytesSize(1, r.data()) + stringSize(2, r.method());
            case RefreshRequest r -> stringSize(1, r.token());
            case SubRefreshRequest r -> stringSize(1, r.channel()) + stringSize(2, r.token());
        };
        return set(slot, size);
    }

    private void writeRequest(CodedOutputStream out, Request request) throws IOException {
        switch (request) {
            case ConnectRequest r -> writeConnect(out, r);
            case SubscribeRequest r -> writeSubscribe(out, r);
            case UnsubscribeRequest r -> string(out, 1, r.channel());
            case PublishRequest r -> {
                string(out, 1, r.channel());
                bytes(out, 2, r.data());
            }
            case PresenceRequest r -> string(out, 1, r.channel());
            case PresenceStatsRequest r -> string(out, 1, r.channel());
            case HistoryRequest r -> writeHistory(out, r);
            case PingRequest r -> {
                // no fields
            }
            case SendRequest r -> bytes(out, 1, r.data());
            case RpcRequest r -> {
                bytes(out, 1, r.data());
                string(out, 2, r.method());
            }
            case RefreshRequest r -> string(out, 1, r.token());
            case SubRefreshRequest r -> {
                string(out, 1, r.channel());
                string(out, 2, r.token());
            }
        }
    }

    private int connectSize(ConnectRequest r) {
        int size = stringSize(1, r.token()) + bytesSize(2, r.data());
        for (Map.Entry<String, SubscribeRequest> sub : r.subs().entrySet()) {
            int entrySlot = reserve();
            int valueSlot = reserve();
            int entrySize = CodedOutputStream.computeStringSize(1, sub.getKey())
                    + messageSize(2, set(valueSlot, subscribeSize(sub.getValue())));
            size += messageSize(3, set(entrySlot, entrySize));
        }
        return size + stringSize(4, r.name()) + stringSize(5, r.version()) + stringMapSize(6, r.headers());
    }

    private void writeConnect(CodedOutputStream out, ConnectRequest r) throws IOException {
        string(out, 1, r.token());
        bytes(out, 2, r.data());
        for (Map.Entry<String, SubscribeRequest> sub : r.subs().entrySet()) {
            nested(out, 3);
            out.writeString(1, sub.getKey());
            nested(out, 2);
            writeSubscribe(out, sub.getValue());
        }
        string(out, 4, r.name());
        string(out, 5, r.version());
        stringMap(out, 6, r.headers());
    }

    /** Reserves a slot for the tags filter and each of its nested nodes, in the order they are written. */
    private int subscribeSize(SubscribeRequest r) {
        int size = stringSize(1, r.channel()) + stringSize(2, r.token()) + boolSize(3, r.recover())
                + stringSize(6, r.epoch()) + uint64Size(7, r.offset()) + bytesSize(8, r.data())
                + boolSize(9, r.positioned()) + boolSize(10, r.recoverable()) + boolSize(11, r.joinLeave())
                + stringSize(12, r.delta()) + int64Size(14, r.flag()) + int32Size(15, r.type());
        if (r.tagsFilter() != null) {
            size += messageSize(13, filterNodeSize(r.tagsFilter()));
        }
        return size;
    }

    private int filterNodeSize(FilterNode f) {
        int slot = reserve();
        int size = stringSize(1, f.op()) + stringSize(2, f.key()) + stringSize(3, f.cmp()) + stringSize(4, f.val());
        for (String v : f.vals()) {
            size += CodedOutputStream.computeStringSize(5, v);
        }
        for (FilterNode node : f.nodes()) {
            size += messageSize(6, filterNodeSize(node));
        }
        return set(slot, size);
    }

    private void writeFilterNode(CodedOutputStream out, int field, FilterNode f) throws IOException {
        nested(out, field);
        string(out, 1, f.op());
        string(out, 2, f.key());
        string(out, 3, f.cmp());
        string(out, 4, f.val());
        for (String v : f.vals()) {
            out.writeString(5, v);
        }
        for (FilterNode node : f.nodes()) {
            writeFilterNode(out, 6, node);
        }
    }

    private void writeSubscribe(CodedOutputStream out, SubscribeRequest r) throws IOException {
        string(out, 1, r.channel());
        string(out, 2, r.token());
        bool(out, 3, r.recover());
        string(out, 6, r.epoch());
        uint64(out, 7, r.offset());
        bytes(out, 8, r.data());
        bool(out, 9, r.positioned());
        bool(out, 10, r.recoverable());
        bool(out, 11, r.joinLeave());
        string(out, 12, r.delta());
        if (r.tagsFilter() != null) {
            writeFilterNode(out, 13, r.tagsFilter());
        }
        int64(out, 14, r.flag());
        int32(out, 15, r.type());
    }

    private int historySize(HistoryRequest r) {
        int size = stringSize(1, r.channel()) + int32Size(7, r.limit());
        StreamPosition since = r.since();
        if (since != null) {
            int slot = reserve();
            size += messageSize(8, set(slot, uint64Size(1, since.offset()) + stringSize(2, since.epoch())));
        }
        return size + boolSize(9, r.reverse());
    }

    private void writeHistory(CodedOutputStream out, HistoryRequest r) throws IOException {
        string(out, 1, r.channel());
        int32(out, 7, r.limit());
        StreamPosition since = r.since();
        if (since != null) {
            nested(out, 8);
            uint64(out, 1, since.offset());
            string(out, 2, since.epoch());
        }
        bool(out, 9, r.reverse());
    }
}
