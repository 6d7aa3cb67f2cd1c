package dev.weft.protocol.codec;

import com.google.protobuf.CodedInputStream;
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

import static dev.weft.protocol.codec.ProtobufInput.bool;
import static dev.weft.protocol.codec.ProtobufInput.bytes;
import static dev.weft.protocol.codec.ProtobufInput.dataOnly;
import static dev.weft.protocol.codec.ProtobufInput.fieldNumber;
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
 * Reads a Protobuf {@link Reply} body: a result, an error, a push or the empty ping. The client side of the
 * protocol (tests, benchmarks, tools). The {@code connect} push and the connect result share a record but
 * not field numbers. Stateless.
 */
final class ProtobufReplyReader {
    private static final SubscribeResult EMPTY_SUBSCRIBE_RESULT =
            new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false);
    private static final ClientInfo EMPTY_CLIENT_INFO = new ClientInfo("", "", null, null);
    /** Connect push field number (3..6) → the ConnectResult field number with the same meaning. */
    private static final int[] PUSH_TO_RESULT_FIELD = {0, 1, 2, 5, 6, 3, 4};

    private ProtobufReplyReader() {
    }

    static Reply reply(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int id = 0;
        ProtocolError error = null;
        Result result = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            Result next = switch (fieldNumber(tag)) {
                case 1 -> {
                    id = uint32(in, tag, "id");
                    yield null;
                }
                case 2 -> {
                    error = message(in, tag, "error", ProtobufReplyReader::error);
                    yield null;
                }
                case 4 -> message(in, tag, "push", ProtobufReplyReader::push);
                case 5 -> message(in, tag, "connect", ProtobufReplyReader::connectResult);
                case 6 -> message(in, tag, "subscribe", ProtobufReplyReader::subscribeResult);
                case 7 -> message(in, tag, "unsubscribe", r -> skipAll(r, new UnsubscribeResult()));
                case 8 -> message(in, tag, "publish", r -> skipAll(r, new PublishResult()));
                case 9 -> message(in, tag, "presence", ProtobufReplyReader::presence);
                case 10 -> message(in, tag, "presence_stats", ProtobufReplyReader::presenceStats);
                case 11 -> message(in, tag, "history", ProtobufReplyReader::history);
                case 12 -> message(in, tag, "ping", r -> skipAll(r, new PingResult()));
                case 13 -> message(in, tag, "rpc", r -> new RpcResult(dataOnly(r)));
                case 14 -> message(in, tag, "refresh", ProtobufReplyReader::refresh);
                case 15 -> message(in, tag, "sub_refresh", ProtobufReplyReader::subRefresh);
                default -> {
                    skip(in, tag);
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
        return id == 0 && error == null && result == null ? Reply.PING : new Reply(id, error, result);
    }

    private static ProtocolError error(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String message = "";
        boolean temporary = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> code = uint32(in, tag, "code");
                case 2 -> message = string(in, tag, "message");
                case 3 -> temporary = bool(in, tag, "temporary");
                default -> skip(in, tag);
            }
        }
        return new ProtocolError(code, message, temporary);
    }

    /** A {@code Push} message on its own (no reply around it), read to the current limit of {@code in}. */
    static Push bare(CodedInputStream in) throws IOException, ProtocolDecodeException {
        return push(in);
    }

    private static Push push(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String channel = "";
        PushBody body = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            PushBody next = switch (fieldNumber(tag)) {
                case 2 -> {
                    channel = string(in, tag, "channel");
                    yield null;
                }
                case 4 -> message(in, tag, "pub", ProtobufReplyReader::publication);
                case 5 -> message(in, tag, "join", r -> new Join(infoOnly(r)));
                case 6 -> message(in, tag, "leave", r -> new Leave(infoOnly(r)));
                case 7 -> message(in, tag, "unsubscribe", ProtobufReplyReader::unsubscribePush);
                case 8 -> message(in, tag, "message", r -> new Message(dataOnly(r)));
                case 9 -> message(in, tag, "subscribe", ProtobufReplyReader::subscribePush);
                case 10 -> message(in, tag, "connect", ProtobufReplyReader::connectPush);
                case 11 -> message(in, tag, "disconnect", ProtobufReplyReader::disconnect);
                case 12 -> message(in, tag, "refresh", ProtobufReplyReader::refreshPush);
                default -> { // including id = 1, an optional channel alias we do not use
                    skip(in, tag);
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

    private static ClientInfo clientInfo(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String user = "";
        String client = "";
        byte[] connInfo = null;
        byte[] chanInfo = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> user = string(in, tag, "user");
                case 2 -> client = string(in, tag, "client");
                case 3 -> connInfo = bytes(in, tag, "conn_info");
                case 4 -> chanInfo = bytes(in, tag, "chan_info");
                default -> skip(in, tag);
            }
        }
        return new ClientInfo(user, client, connInfo, chanInfo);
    }

    private static ClientInfo infoOnly(CodedInputStream in) throws IOException, ProtocolDecodeException {
        ClientInfo info = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (fieldNumber(tag) == 1) {
                info = message(in, tag, "info", ProtobufReplyReader::clientInfo);
            } else {
                skip(in, tag);
            }
        }
        return info;
    }

    private static Publication publication(CodedInputStream in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        ClientInfo info = null;
        long offset = 0;
        Map<String, String> tags = new HashMap<>();
        boolean delta = false;
        long time = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 4 -> data = bytes(in, tag, "data");
                case 5 -> info = message(in, tag, "info", ProtobufReplyReader::clientInfo);
                case 6 -> offset = uint64(in, tag, "offset");
                case 7 -> stringMapEntry(in, tag, "tags", tags);
                case 8 -> delta = bool(in, tag, "delta");
                case 9 -> time = int64(in, tag, "time");
                default -> skip(in, tag);
            }
        }
        return new Publication(data, info, offset, tags, delta, time);
    }

    private static UnsubscribePush unsubscribePush(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String reason = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 2 -> code = uint32(in, tag, "code");
                case 3 -> reason = string(in, tag, "reason");
                default -> skip(in, tag);
            }
        }
        return new UnsubscribePush(code, reason);
    }

    private static SubscribePush subscribePush(CodedInputStream in) throws IOException, ProtocolDecodeException {
        boolean recoverable = false;
        String epoch = "";
        long offset = 0;
        boolean positioned = false;
        byte[] data = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> recoverable = bool(in, tag, "recoverable");
                case 4 -> epoch = string(in, tag, "epoch");
                case 5 -> offset = uint64(in, tag, "offset");
                case 6 -> positioned = bool(in, tag, "positioned");
                case 7 -> data = bytes(in, tag, "data");
                default -> skip(in, tag);
            }
        }
        return new SubscribePush(recoverable, epoch, offset, positioned, data);
    }

    /** The {@code Connect} push message: data = 3, subs = 4, expires = 5, ttl = 6. */
    private static ConnectResult connectPush(CodedInputStream in) throws IOException, ProtocolDecodeException {
        return connect(in, true);
    }

    /** The {@code ConnectResult} message: expires = 3, ttl = 4, data = 5, subs = 6. */
    private static ConnectResult connectResult(CodedInputStream in) throws IOException, ProtocolDecodeException {
        return connect(in, false);
    }

    private static ConnectResult connect(CodedInputStream in, boolean push)
            throws IOException, ProtocolDecodeException {
        String client = "";
        String version = "";
        boolean expires = false;
        int ttl = 0;
        byte[] data = null;
        Map<String, SubscribeResult> subs = new HashMap<>();
        int ping = 0;
        boolean pong = false;
        String session = "";
        String node = "";
        long time = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = fieldNumber(tag);
            if (push && field >= 3 && field <= 6) {
                field = PUSH_TO_RESULT_FIELD[field];
            }
            switch (field) {
                case 1 -> client = string(in, tag, "client");
                case 2 -> version = string(in, tag, "version");
                case 3 -> expires = bool(in, tag, "expires");
                case 4 -> ttl = uint32(in, tag, "ttl");
                case 5 -> data = bytes(in, tag, "data");
                case 6 -> mapEntry(in, tag, "subs", subs, ProtobufReplyReader::subscribeResult,
                        EMPTY_SUBSCRIBE_RESULT);
                case 7 -> ping = uint32(in, tag, "ping");
                case 8 -> pong = bool(in, tag, "pong");
                case 9 -> session = string(in, tag, "session");
                case 10 -> node = string(in, tag, "node");
                case 11 -> time = int64(in, tag, "time");
                default -> skip(in, tag);
            }
        }
        return new ConnectResult(client, version, expires, ttl, data, subs, ping, pong, session, node, time);
    }

    private static Disconnect disconnect(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int code = 0;
        String reason = "";
        boolean reconnect = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> code = uint32(in, tag, "code");
                case 2 -> reason = string(in, tag, "reason");
                case 3 -> reconnect = bool(in, tag, "reconnect");
                default -> skip(in, tag);
            }
        }
        return new Disconnect(code, reason, reconnect);
    }

    private static RefreshPush refreshPush(CodedInputStream in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> expires = bool(in, tag, "expires");
                case 2 -> ttl = uint32(in, tag, "ttl");
                default -> skip(in, tag);
            }
        }
        return new RefreshPush(expires, ttl);
    }

    private static SubscribeResult subscribeResult(CodedInputStream in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        boolean recoverable = false;
        String epoch = "";
        List<Publication> publications = new ArrayList<>();
        boolean recovered = false;
        long offset = 0;
        boolean positioned = false;
        byte[] data = null;
        boolean wasRecovering = false;
        boolean delta = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> expires = bool(in, tag, "expires");
                case 2 -> ttl = uint32(in, tag, "ttl");
                case 3 -> recoverable = bool(in, tag, "recoverable");
                case 6 -> epoch = string(in, tag, "epoch");
                case 7 -> publications.add(message(in, tag, "publications", ProtobufReplyReader::publication));
                case 8 -> recovered = bool(in, tag, "recovered");
                case 9 -> offset = uint64(in, tag, "offset");
                case 10 -> positioned = bool(in, tag, "positioned");
                case 11 -> data = bytes(in, tag, "data");
                case 12 -> wasRecovering = bool(in, tag, "was_recovering");
                case 13 -> delta = bool(in, tag, "delta");
                default -> skip(in, tag);
            }
        }
        return new SubscribeResult(expires, ttl, recoverable, epoch, publications, recovered, offset, positioned,
                data, wasRecovering, delta);
    }

    private static PresenceResult presence(CodedInputStream in) throws IOException, ProtocolDecodeException {
        Map<String, ClientInfo> presence = new HashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (fieldNumber(tag) == 1) {
                mapEntry(in, tag, "presence", presence, ProtobufReplyReader::clientInfo, EMPTY_CLIENT_INFO);
            } else {
                skip(in, tag);
            }
        }
        return new PresenceResult(presence);
    }

    private static PresenceStatsResult presenceStats(CodedInputStream in) throws IOException, ProtocolDecodeException {
        int numClients = 0;
        int numUsers = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> numClients = uint32(in, tag, "num_clients");
                case 2 -> numUsers = uint32(in, tag, "num_users");
                default -> skip(in, tag);
            }
        }
        return new PresenceStatsResult(numClients, numUsers);
    }

    private static HistoryResult history(CodedInputStream in) throws IOException, ProtocolDecodeException {
        List<Publication> publications = new ArrayList<>();
        String epoch = "";
        long offset = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> publications.add(message(in, tag, "publications", ProtobufReplyReader::publication));
                case 2 -> epoch = string(in, tag, "epoch");
                case 3 -> offset = uint64(in, tag, "offset");
                default -> skip(in, tag);
            }
        }
        return new HistoryResult(publications, epoch, offset);
    }

    private static RefreshResult refresh(CodedInputStream in) throws IOException, ProtocolDecodeException {
        String client = "";
        String version = "";
        boolean expires = false;
        int ttl = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> client = string(in, tag, "client");
                case 2 -> version = string(in, tag, "version");
                case 3 -> expires = bool(in, tag, "expires");
                case 4 -> ttl = uint32(in, tag, "ttl");
                default -> skip(in, tag);
            }
        }
        return new RefreshResult(client, version, expires, ttl);
    }

    private static SubRefreshResult subRefresh(CodedInputStream in) throws IOException, ProtocolDecodeException {
        boolean expires = false;
        int ttl = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (fieldNumber(tag)) {
                case 1 -> expires = bool(in, tag, "expires");
                case 2 -> ttl = uint32(in, tag, "ttl");
                default -> skip(in, tag);
            }
        }
        return new SubRefreshResult(expires, ttl);
    }
}
