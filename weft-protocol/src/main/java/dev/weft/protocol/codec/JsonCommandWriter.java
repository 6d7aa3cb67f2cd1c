package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
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

import static dev.weft.protocol.codec.JsonOutput.bool;
import static dev.weft.protocol.codec.JsonOutput.int32;
import static dev.weft.protocol.codec.JsonOutput.int64;
import static dev.weft.protocol.codec.JsonOutput.raw;
import static dev.weft.protocol.codec.JsonOutput.string;
import static dev.weft.protocol.codec.JsonOutput.stringMap;
import static dev.weft.protocol.codec.JsonOutput.uint32;
import static dev.weft.protocol.codec.JsonOutput.uint64;

/**
 * Writes a {@link Command} as one JSON object, fields in protobuf field-number order, as the client SDKs
 * do. The request object is always written, even when empty ({@code {"id":4,"ping":{}}}). Stateless.
 */
final class JsonCommandWriter {
    private JsonCommandWriter() {
    }

    static void command(JsonGenerator out, Command command) throws IOException {
        out.writeStartObject();
        uint32(out, "id", command.id());
        Request request = command.request();
        if (request != null) {
            out.writeFieldName(Request.methodName(request));
            out.writeStartObject();
            requestFields(out, request);
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void requestFields(JsonGenerator out, Request request) throws IOException {
        switch (request) {
            case ConnectRequest r -> connect(out, r);
            case SubscribeRequest r -> subscribe(out, r);
            case UnsubscribeRequest r -> string(out, "channel", r.channel());
            case PublishRequest r -> {
                string(out, "channel", r.channel());
                raw(out, "data", r.data());
            }
            case PresenceRequest r -> string(out, "channel", r.channel());
            case PresenceStatsRequest r -> string(out, "channel", r.channel());
            case HistoryRequest r -> history(out, r);
            case PingRequest r -> {
                // no fields
            }
            case SendRequest r -> raw(out, "data", r.data());
            case RpcRequest r -> {
                raw(out, "data", r.data());
                string(out, "method", r.method());
            }
            case RefreshRequest r -> string(out, "token", r.token());
            case SubRefreshRequest r -> {
                string(out, "channel", r.channel());
                string(out, "token", r.token());
            }
        }
    }

    private static void connect(JsonGenerator out, ConnectRequest r) throws IOException {
        string(out, "token", r.token());
        raw(out, "data", r.data());
        if (!r.subs().isEmpty()) {
            out.writeObjectFieldStart("subs");
            for (Map.Entry<String, SubscribeRequest> sub : r.subs().entrySet()) {
                out.writeObjectFieldStart(sub.getKey());
                subscribe(out, sub.getValue());
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        string(out, "name", r.name());
        string(out, "version", r.version());
        stringMap(out, "headers", r.headers());
    }

    private static void subscribe(JsonGenerator out, SubscribeRequest r) throws IOException {
        string(out, "channel", r.channel());
        string(out, "token", r.token());
        bool(out, "recover", r.recover());
        string(out, "epoch", r.epoch());
        uint64(out, "offset", r.offset());
        raw(out, "data", r.data());
        bool(out, "positioned", r.positioned());
        bool(out, "recoverable", r.recoverable());
        bool(out, "join_leave", r.joinLeave());
        string(out, "delta", r.delta());
        if (r.tagsFilter() != null) {
            out.writeFieldName("tf");
            filterNode(out, r.tagsFilter());
        }
        int64(out, "flag", r.flag());
        int32(out, "type", r.type());
    }

    private static void filterNode(JsonGenerator out, FilterNode f) throws IOException {
        out.writeStartObject();
        string(out, "op", f.op());
        string(out, "key", f.key());
        string(out, "cmp", f.cmp());
        string(out, "val", f.val());
        if (!f.vals().isEmpty()) {
            out.writeArrayFieldStart("vals");
            for (String v : f.vals()) {
                out.writeString(v);
            }
            out.writeEndArray();
        }
        if (!f.nodes().isEmpty()) {
            out.writeArrayFieldStart("nodes");
            for (FilterNode node : f.nodes()) {
                filterNode(out, node);
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    private static void history(JsonGenerator out, HistoryRequest r) throws IOException {
        string(out, "channel", r.channel());
        int32(out, "limit", r.limit());
        StreamPosition since = r.since();
        if (since != null) {
            out.writeObjectFieldStart("since");
            uint64(out, "offset", since.offset());
            string(out, "epoch", since.epoch());
            out.writeEndObject();
        }
        bool(out, "reverse", r.reverse());
    }
}
