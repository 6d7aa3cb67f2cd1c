package dev.weft.protocol.codec;

import com.google.protobuf.CodedOutputStream;
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

/**
 * Encodes {@link Reply}s with client.proto's field numbers. The {@code connect} push uses the
 * {@code Connect} message's numbers (data = 3, subs = 4, expires = 5, ttl = 6), the connect result those
 * of {@code ConnectResult} (expires = 3, ttl = 4, data = 5, subs = 6). One instance per frame; not
 * thread-safe (see {@link ProtobufWriter}).
 */
final class ProtobufReplyWriter extends ProtobufWriter<Reply> {

    @Override
    int size(Reply reply) {
        int size = uint32Size(1, reply.id());
        if (reply.error() != null) {
            size += messageSize(2, errorSize(reply.error()));
        }
        if (reply.result() != null) {
            size += messageSize(fieldNumber(reply.result()), resultSize(reply.result()));
        }
        return size;
    }

    @Override
    void writeBody(CodedOutputStream out, Reply reply) throws IOException {
        uint32(out, 1, reply.id());
        if (reply.error() != null) {
            nested(out, 2);
            writeError(out, reply.error());
        }
        if (reply.result() != null) {
            nested(out, fieldNumber(reply.result()));
            writeResult(out, reply.result());
        }
    }

    /** A push on its own, prefixed with its varint length (unidirectional transports). */
    byte[] encodePush(Push push) {
        return encodeOne(push, this::pushSize, this::writePush);
    }

    private int errorSize(ProtocolError error) {
        int slot = reserve();
        return set(slot, uint32Size(1, error.code()) + stringSize(2, error.message())
                + boolSize(3, error.temporary()));
    }

    private static void writeError(CodedOutputStream out, ProtocolError error) throws IOException {
        uint32(out, 1, error.code());
        string(out, 2, error.message());
        bool(out, 3, error.temporary());
    }

    private static int fieldNumber(Result result) {
        return switch (result) {
            case Push r -> 4;
            case ConnectResult r -> 5;
            case SubscribeResult r -> 6;
            case UnsubscribeResult r -> 7;
            case PublishResult r -> 8;
            case PresenceResult r -> 9;
            case PresenceStatsResult r -> 10;
            case HistoryResult r -> 11;
            case PingResult r -> 12;
            case RpcResult r -> 13;
            case RefreshResult r -> 14;
            case SubRefreshResult r -> 15;
        };
    }

    /** Body size of a result; reserves its slot first. */
    private int resultSize(Result result) {
        int slot = reserve();
        int size = switch (result) {
            case Push r -> pushSize(r);
            case ConnectResult r -> connectSize(r, false);
            case SubscribeResult r -> subscribeResultSize(r);
            case UnsubscribeResult r -> 0;
            case PublishResult r -> 0;
            case PresenceResult r -> presenceSize(r);
            case PresenceStatsResult r -> uint32Size(1, r.numClients()) + uint32Size(2, r.numUsers());
            case HistoryResult r -> publicationsSize(1, r.publications()) + stringSize(2, r.epoch())
                    + uint64Size(3, r.offset());
            case PingResult r -> 0;
            case RpcResult r -> bytesSize(1, r.data());
            case RefreshResult r -> stringSize(1, r.client()) + stringSize(2, r.version())
                    + boolSize(3, r.expires()) + uint32Size(4, r.ttl());
            case SubRefreshResult r -> boolSize(1, r.expires()) + uint32Size(2, r.ttl());
        };
        return set(slot, size);
    }

    private void writeResult(CodedOutputStream out, Result result) throws IOException {
        switch (result) {
            case Push r -> writePush(out, r);
            case ConnectResult r -> writeConnect(out, r, false);
            case SubscribeResult r -> writeSubscribeResult(out, r);
            case UnsubscribeResult r -> {
                // no fields
            }
            case PublishResult r -> {
                // no fields
            }
            case PresenceResult r -> writePresence(out, r);
            case PresenceStatsResult r -> {
                uint32(out, 1, r.numClients());
                uint32(out, 2, r.numUsers());
            }
            case HistoryResult r -> {
                writePublications(out, 1, r.publications());
                string(out, 2, r.epoch());
                uint64(out, 3, r.offset());
            }
            case PingResult r -> {
                // no fields
            }
            case RpcResult r -> bytes(out, 1, r.data());
            case RefreshResult r -> {
                string(out, 1, r.client());
                string(out, 2, r.version());
                bool(out, 3, r.expires());
                uint32(out, 4, r.ttl());
            }
            case SubRefreshResult r -> {
                bool(out, 1, r.expires());
                uint32(out, 2, r.ttl());
            }
        }
    }

    // ---- push

    private static int fieldNumber(PushBody body) {
        return switch (body) {
            case Publication b -> 4;
            case Join b -> 5;
            case Leave b -> 6;
            case UnsubscribePush b -> 7;
            case Message b -> 8;
            case SubscribePush b -> 9;
            case ConnectResult b -> 10;
            case Disconnect b -> 11;
            case RefreshPush b -> 12;
        };
    }

    private int pushSize(Push push) {
        int size = stringSize(2, push.channel());
        PushBody body = push.body();
        if (body != null) {
            size += messageSize(fieldNumber(body), bodySize(body));
        }
        return size;
    }

    private void writePush(CodedOutputStream out, Push push) throws IOException {
        string(out, 2, push.channel());
        PushBody body = push.body();
        if (body != null) {
            nested(out, fieldNumber(body));
            writePushBody(out, body);
        }
    }

    /** Body size of a push body; reserves its slot first. */
    private int bodySize(PushBody body) {
        int slot = reserve();
        int size = switch (body) {
            case Publication p -> publicationBodySize(p);
            case Join j -> clientInfoSize(1, j.info());
            case Leave l -> clientInfoSize(1, l.info());
            case UnsubscribePush u -> uint32Size(2, u.code()) + stringSize(3, u.reason());
            case Message m -> bytesSize(1, m.data());
            case SubscribePush s -> boolSize(1, s.recoverable()) + stringSize(4, s.epoch())
                    + uint64Size(5, s.offset()) + boolSize(6, s.positioned()) + bytesSize(7, s.data());
            case ConnectResult c -> connectSize(c, true);
            case Disconnect d -> uint32Size(1, d.code()) + stringSize(2, d.reason()) + boolSize(3, d.reconnect());
            case RefreshPush r -> boolSize(1, r.expires()) + uint32Size(2, r.ttl());
        };
        return set(slot, size);
    }

    private void writePushBody(CodedOutputStream out, PushBody body) throws IOException {
        switch (body) {
            case Publication p -> writePublicationBody(out, p);
            case Join j -> writeClientInfo(out, 1, j.info());
            case Leave l -> writeClientInfo(out, 1, l.info());
            case UnsubscribePush u -> {
                uint32(out, 2, u.code());
                string(out, 3, u.reason());
            }
            case Message m -> bytes(out, 1, m.data());
            case SubscribePush s -> {
                bool(out, 1, s.recoverable());
                string(out, 4, s.epoch());
                uint64(out, 5, s.offset());
                bool(out, 6, s.positioned());
                bytes(out, 7, s.data());
            }
            case ConnectResult c -> writeConnect(out, c, true);
            case Disconnect d -> {
                uint32(out, 1, d.code());
                string(out, 2, d.reason());
                bool(out, 3, d.reconnect());
            }
            case RefreshPush r -> {
                bool(out, 1, r.expires());
                uint32(out, 2, r.ttl());
            }
        }
    }

    // ---- publications and client info

    private int publicationBodySize(Publication p) {
        return bytesSize(4, p.data()) + clientInfoSize(5, p.info()) + uint64Size(6, p.offset())
                + stringMapSize(7, p.tags()) + boolSize(8, p.delta()) + int64Size(9, p.time());
    }

    private void writePublicationBody(CodedOutputStream out, Publication p) throws IOException {
        bytes(out, 4, p.data());
        writeClientInfo(out, 5, p.info());
        uint64(out, 6, p.offset());
        stringMap(out, 7, p.tags());
        bool(out, 8, p.delta());
        int64(out, 9, p.time());
    }

    private int publicationsSize(int field, List<Publication> publications) {
        int size = 0;
        for (Publication publication : publications) {
            int slot = reserve();
            size += messageSize(field, set(slot, publicationBodySize(publication)));
        }
        return size;
    }

    private void writePublications(CodedOutputStream out, int field, List<Publication> publications)
            throws IOException {
        for (Publication publication : publications) {
            nested(out, field);
            writePublicationBody(out, publication);
        }
    }

    /** Size of a {@code ClientInfo} field including its tag, 0 when {@code info} is null. */
    private int clientInfoSize(int field, ClientInfo info) {
        if (info == null) {
            return 0;
        }
        int slot = reserve();
        return messageSize(field, set(slot, clientInfoBodySize(info)));
    }

    private static int clientInfoBodySize(ClientInfo info) {
        return stringSize(1, info.user()) + stringSize(2, info.client()) + bytesSize(3, info.connInfo())
                + bytesSize(4, info.chanInfo());
    }

    private void writeClientInfo(CodedOutputStream out, int field, ClientInfo info) throws IOException {
        if (info != null) {
            nested(out, field);
            writeClientInfoBody(out, info);
        }
    }

    private static void writeClientInfoBody(CodedOutputStream out, ClientInfo info) throws IOException {
        string(out, 1, info.user());
        string(out, 2, info.client());
        bytes(out, 3, info.connInfo());
        bytes(out, 4, info.chanInfo());
    }

    // ---- connect (result and push)

    private int connectSize(ConnectResult c, boolean push) {
        int size = stringSize(1, c.client()) + stringSize(2, c.version());
        if (push) {
            size += bytesSize(3, c.data()) + subscribeResultsSize(4, c.subs()) + boolSize(5, c.expires())
                    + uint32Size(6, c.ttl());
        } else {
            size += boolSize(3, c.expires()) + uint32Size(4, c.ttl()) + bytesSize(5, c.data())
                    + subscribeResultsSize(6, c.subs());
        }
        return size + uint32Size(7, c.ping()) + boolSize(8, c.pong()) + stringSize(9, c.session())
                + stringSize(10, c.node()) + int64Size(11, c.time());
    }

    private void writeConnect(CodedOutputStream out, ConnectResult c, boolean push) throws IOException {
        string(out, 1, c.client());
        string(out, 2, c.version());
        if (push) {
            bytes(out, 3, c.data());
            writeSubscribeResults(out, 4, c.subs());
            bool(out, 5, c.expires());
            uint32(out, 6, c.ttl());
        } else {
            bool(out, 3, c.expires());
            uint32(out, 4, c.ttl());
            bytes(out, 5, c.data());
            writeSubscribeResults(out, 6, c.subs());
        }
        uint32(out, 7, c.ping());
        bool(out, 8, c.pong());
        string(out, 9, c.session());
        string(out, 10, c.node());
        int64(out, 11, c.time());
    }

    /** A {@code map<string, SubscribeResult>}: entry (key = 1, value = 2) messages. */
    private int subscribeResultsSize(int field, Map<String, SubscribeResult> subs) {
        int size = 0;
        for (Map.Entry<String, SubscribeResult> sub : subs.entrySet()) {
            int entrySlot = reserve();
            int valueSlot = reserve();
            int entrySize = CodedOutputStream.computeStringSize(1, sub.getKey())
                    + messageSize(2, set(valueSlot, subscribeResultSize(sub.getValue())));
            size += messageSize(field, set(entrySlot, entrySize));
        }
        return size;
    }

    private void writeSubscribeResults(CodedOutputStream out, int field, Map<String, SubscribeResult> subs)
            throws IOException {
        for (Map.Entry<String, SubscribeResult> sub : subs.entrySet()) {
            nested(out, field);
            out.writeString(1, sub.getKey());
            nested(out, 2);
            writeSubscribeResult(out, sub.getValue());
        }
    }

    // ---- other results

    /** Body size of a SubscribeResult; its slot is reserved by the caller. */
    private int subscribeResultSize(SubscribeResult r) {
        return boolSize(1, r.expires()) + uint32Size(2, r.ttl()) + boolSize(3, r.recoverable())
                + stringSize(6, r.epoch()) + publicationsSize(7, r.publications()) + boolSize(8, r.recovered())
                + uint64Size(9, r.offset()) + boolSize(10, r.positioned()) + bytesSize(11, r.data())
                + boolSize(12, r.wasRecovering()) + boolSize(13, r.delta());
    }

    private void writeSubscribeResult(CodedOutputStream out, SubscribeResult r) throws IOException {
        bool(out, 1, r.expires());
        uint32(out, 2, r.ttl());
        bool(out, 3, r.recoverable());
        string(out, 6, r.epoch());
        writePublications(out, 7, r.publications());
        bool(out, 8, r.recovered());
        uint64(out, 9, r.offset());
        bool(out, 10, r.positioned());
        bytes(out, 11, r.data());
        bool(out, 12, r.wasRecovering());
        bool(out, 13, r.delta());
    }

    private int presenceSize(PresenceResult r) {
        int size = 0;
        for (Map.Entry<String, ClientInfo> entry : r.presence().entrySet()) {
            int entrySlot = reserve();
            int valueSlot = reserve();
            int entrySize = CodedOutputStream.computeStringSize(1, entry.getKey())
                    + messageSize(2, set(valueSlot, clientInfoBodySize(entry.getValue())));
            size += messageSize(1, set(entrySlot, entrySize));
        }
        return size;
    }

    private void writePresence(CodedOutputStream out, PresenceResult r) throws IOException {
        for (Map.Entry<String, ClientInfo> entry : r.presence().entrySet()) {
            nested(out, 1);
            out.writeString(1, entry.getKey());
            nested(out, 2);
            writeClientInfoBody(out, entry.getValue());
        }
    }
}
