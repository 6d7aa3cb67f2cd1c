package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.util.List;
import java.util.Map;

import static dev.weft.protocol.codec.JsonOutput.bool;
import static dev.weft.protocol.codec.JsonOutput.int64;
import static dev.weft.protocol.codec.JsonOutput.raw;
import static dev.weft.protocol.codec.JsonOutput.string;
import static dev.weft.protocol.codec.JsonOutput.stringMap;
import static dev.weft.protocol.codec.JsonOutput.uint32;
import static dev.weft.protocol.codec.JsonOutput.uint64;

/**
 * Writes a {@link Reply} as one JSON object, fields in protobuf field-number order (the order Centrifugo's
 * own encoder uses). A result is always written, even when all its fields are defaults
 * ({@code {"id":3,"publish":{}}}), so the client can tell which result it got; so is any present nested
 * message ({@code "info":{}}). Stateless.
 */
final class JsonReplyWriter {
    private JsonReplyWriter() {
    }

    static void reply(JsonGenerator out, Reply reply) throws IOException {
        out.writeStartObject();
        uint32(out, "id", reply.id());
        if (reply.error() != null) {
            error(out, reply.error());
        }
        Result result = reply.result();
        if (result != null) {
            out.writeFieldName(fieldName(result));
            out.writeStartObject();
            resultFields(out, result);
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    /** A push as its own object, without a reply around it (unidirectional transports). */
    static void bare(JsonGenerator out, Push push) throws IOException {
        out.writeStartObject();
        push(out, push);
        out.writeEndObject();
    }

    private static void error(JsonGenerator out, ProtocolError error) throws IOException {
        out.writeObjectFieldStart("error");
        uint32(out, "code", error.code());
        string(out, "message", error.message());
        bool(out, "temporary", error.temporary());
        out.writeEndObject();
    }

    private static String fieldName(Result result) {
        return switch (result) {
            case Push r -> "push";
            case ConnectResult r -> "connect";
            case SubscribeResult r -> "subscribe";
            case UnsubscribeResult r -> "unsubscribe";
            case PublishResult r -> "publish";
            case PresenceResult r -> "presence";
            case PresenceStatsResult r -> "presence_stats";
            case HistoryResult r -> "history";
            case PingResult r -> "ping";
            case RpcResult r -> "rpc";
            case RefreshResult r -> "refresh";
            case SubRefreshResult r -> "sub_refresh";
        };
    }

    private static void resultFields(JsonGenerator out, Result result) throws IOException {
        switch (result) {
            case Push r -> push(out, r);
            case ConnectResult r -> connect(out, r, false);
            case SubscribeResult r -> subscribeResult(out, r);
            case UnsubscribeResult r -> {
                // no fields
            }
            case PublishResult r -> {
                // no fields
            }
            case PresenceResult r -> presence(out, r);
            case PresenceStatsResult r -> {
                // Centrifugo writes both counts even when zero; the SDK reads them as numbers
                out.writeFieldName("num_clients");
                out.writeNumber(Integer.toUnsignedLong(r.numClients()));
                out.writeFieldName("num_users");
                out.writeNumber(Integer.toUnsignedLong(r.numUsers()));
            }
            case HistoryResult r -> {
                // all three always present in Centrifugo's encoding: an empty history is "publications":[]
                publicationArray(out, r.publications());
                out.writeStringField("epoch", r.epoch());
                out.writeFieldName("offset");
                out.writeNumber(Long.toUnsignedString(r.offset()));
            }
            case PingResult r -> {
                // no fields
            }
            case RpcResult r -> raw(out, "data", r.data());
            case RefreshResult r -> {
                string(out, "client", r.client());
                string(out, "version", r.version());
                bool(out, "expires", r.expires());
                uint32(out, "ttl", r.ttl());
            }
            case SubRefreshResult r -> {
                bool(out, "expires", r.expires());
                uint32(out, "ttl", r.ttl());
            }
        }
    }

    private static void push(JsonGenerator out, Push push) throws IOException {
        string(out, "channel", push.channel());
        PushBody body = push.body();
        if (body == null) {
            return;
        }
        out.writeFieldName(fieldName(body));
        out.writeStartObject();
        switch (body) {
            case Publication p -> publicationFields(out, p);
            case Join j -> clientInfo(out, "info", j.info());
            case Leave l -> clientInfo(out, "info", l.info());
            case UnsubscribePush u -> {
                uint32(out, "code", u.code());
                string(out, "reason", u.reason());
            }
            case Message m -> raw(out, "data", m.data());
            case SubscribePush s -> {
                bool(out, "recoverable", s.recoverable());
                string(out, "epoch", s.epoch());
                uint64(out, "offset", s.offset());
                bool(out, "positioned", s.positioned());
                raw(out, "data", s.data());
            }
            case ConnectResult c -> connect(out, c, true);
            case Disconnect d -> {
                uint32(out, "code", d.code());
                string(out, "reason", d.reason());
                bool(out, "reconnect", d.reconnect());
            }
            case RefreshPush r -> {
                bool(out, "expires", r.expires());
                uint32(out, "ttl", r.ttl());
            }
        }
        out.writeEndObject();
    }

    private static String fieldName(PushBody body) {
        return switch (body) {
            case Publication b -> "pub";
            case Join b -> "join";
            case Leave b -> "leave";
            case UnsubscribePush b -> "unsubscribe";
            case Message b -> "message";
            case SubscribePush b -> "subscribe";
            case ConnectResult b -> "connect";
            case Disconnect b -> "disconnect";
            case RefreshPush b -> "refresh";
        };
    }

    private static void publicationFields(JsonGenerator out, Publication p) throws IOException {
        raw(out, "data", p.data());
        clientInfo(out, "info", p.info());
        uint64(out, "offset", p.offset());
        stringMap(out, "tags", p.tags());
        bool(out, "delta", p.delta());
        int64(out, "time", p.time());
    }

    private static void publications(JsonGenerator out, List<Publication> publications) throws IOException {
        if (publications.isEmpty()) {
            return;
        }
        publicationArray(out, publications);
    }

    private static void publicationArray(JsonGenerator out, List<Publication> publications) throws IOException {
        out.writeArrayFieldStart("publications");
        for (Publication publication : publications) {
            out.writeStartObject();
            publicationFields(out, publication);
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static void clientInfo(JsonGenerator out, String name, ClientInfo info) throws IOException {
        if (info == null) {
            return;
        }
        out.writeObjectFieldStart(name);
        clientInfoFields(out, info);
        out.writeEndObject();
    }

    /** {@code user} and {@code client} are always written, empty for an anonymous user (as Centrifugo does). */
    private static void clientInfoFields(JsonGenerator out, ClientInfo info) throws IOException {
        out.writeStringField("user", info.user());
        out.writeStringField("client", info.client());
        raw(out, "conn_info", info.connInfo());
        raw(out, "chan_info", info.chanInfo());
    }

    /**
     * The connect result and the connect push have the same JSON names but, in the schema, different field
     * numbers; each is written in its own message's order.
     */
    private static void connect(JsonGenerator out, ConnectResult c, boolean push) throws IOException {
        string(out, "client", c.client());
        string(out, "version", c.version());
        if (push) {
            raw(out, "data", c.data());
            subscribeResults(out, c.subs());
            bool(out, "expires", c.expires());
            uint32(out, "ttl", c.ttl());
        } else {
            bool(out, "expires", c.expires());
            uint32(out, "ttl", c.ttl());
            raw(out, "data", c.data());
            subscribeResults(out, c.subs());
        }
        uint32(out, "ping", c.ping());
        bool(out, "pong", c.pong());
        string(out, "session", c.session());
        string(out, "node", c.node());
        int64(out, "time", c.time());
    }

    private static void subscribeResults(JsonGenerator out, Map<String, SubscribeResult> subs) throws IOException {
        if (subs.isEmpty()) {
            return;
        }
        out.writeObjectFieldStart("subs");
        for (Map.Entry<String, SubscribeResult> sub : subs.entrySet()) {
            out.writeObjectFieldStart(sub.getKey());
            subscribeResult(out, sub.getValue());
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void subscribeResult(JsonGenerator out, SubscribeResult r) throws IOException {
        bool(out, "expires", r.expires());
        uint32(out, "ttl", r.ttl());
        bool(out, "recoverable", r.recoverable());
        string(out, "epoch", r.epoch());
        publications(out, r.publications());
        bool(out, "recovered", r.recovered());
        uint64(out, "offset", r.offset());
        bool(out, "positioned", r.positioned());
        raw(out, "data", r.data());
        bool(out, "was_recovering", r.wasRecovering());
        bool(out, "delta", r.delta());
    }

    /** The map is always written, {@code "presence":{}} when nobody is there. */
    private static void presence(JsonGenerator out, PresenceResult r) throws IOException {
        out.writeObjectFieldStart("presence");
        for (Map.Entry<String, ClientInfo> entry : r.presence().entrySet()) {
            out.writeObjectFieldStart(entry.getKey());
            clientInfoFields(out, entry.getValue());
            out.writeEndObject();
        }
        out.writeEndObject();
    }
}
