package dev.weft.protocol.codec;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.FilterNode;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.ProtocolError;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.PushBody;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.RefreshResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.Result;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.SendRequest;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubRefreshResult;
import dev.weft.protocol.model.SubscribePush;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import dev.weft.protocol.model.UnsubscribeRequest;
import dev.weft.protocol.model.UnsubscribeResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Arbitraries for every record of the protocol model. Payload bytes ({@code data}, {@code conn_info},
 * {@code chan_info}) are compact JSON texts when {@code jsonPayloads} (the JSON codec embeds them raw), or
 * any non-empty bytes otherwise. Absent payloads are {@code null}, never empty arrays: both codecs read an
 * empty payload as absent.
 */
final class ProtocolArbitraries {
    private final boolean jsonPayloads;

    private ProtocolArbitraries(boolean jsonPayloads) {
        this.jsonPayloads = jsonPayloads;
    }

    static ProtocolArbitraries withJsonPayloads() {
        return new ProtocolArbitraries(true);
    }

    static ProtocolArbitraries withBinaryPayloads() {
        return new ProtocolArbitraries(false);
    }

    static ProtocolArbitraries forCodec(ProtocolCodec codec) {
        return codec instanceof JsonCodec ? withJsonPayloads() : withBinaryPayloads();
    }

    // ---- building blocks

    /** Valid Unicode text: ASCII, Cyrillic, accents, emoji (surrogate pairs), quotes, escapes, controls. */
    static Arbitrary<String> strings() {
        Arbitrary<String> fragments = Arbitraries.of("a", "news", "chat:room-1", "é", "привет", "😀", "\"", "\\",
                "/", "\n", "\t", "\u0001", "\u2028", " ", "<>&", "{}", "0");
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().alpha().numeric().withChars('-', '_', ':').ofMinLength(1).ofMaxLength(12),
                fragments.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts)));
    }

    static Arbitrary<Integer> ints() {
        return Arbitraries.integers();
    }

    static Arbitrary<Long> longs() {
        return Arbitraries.longs();
    }

    /** A flag set: bit {@code i} is the {@code i}-th boolean field of a record. */
    static Arbitrary<Integer> flags(int count) {
        return Arbitraries.integers().between(0, (1 << count) - 1);
    }

    static boolean flag(int flags, int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** A compact JSON text (a value nested at most {@code depth} deep). */
    static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0.5", "-12.25", "1e3", "2.5E-7", "-0", "6.02e+23"),
                jsonString(),
                Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(3)
                .map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(jsonString(), jsonValue(depth - 1))
                .as((key, value) -> key + ":" + value)
                .list().ofMaxSize(3)
                .map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar),
                net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(2, object));
    }

    /** A JSON string literal, with raw Unicode and every kind of escape. */
    static Arbitrary<String> jsonString() {
        Arbitrary<String> fragments = Arbitraries.of("a", "text", "é", "日本", "😀", "\\\"", "\\\\", "\\/", "\\b",
                "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u0000", "\\ud83d\\ude00", " ", "\u2028");
        return fragments.list().ofMaxSize(4).map(parts -> "\"" + String.join("", parts) + "\"");
    }

    /** A payload or {@code null}. */
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> present = jsonPayloads
                ? jsonValue(2).map(text -> text.getBytes(StandardCharsets.UTF_8))
                : Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(24),
                        jsonValue(1).map(text -> text.getBytes(StandardCharsets.UTF_8)));
        return present.injectNull(0.25);
    }

    // ---- commands

    Arbitrary<Command> commands() {
        return Combinators.combine(ints(), requests().injectNull(0.1)).as(Command::new);
    }

    Arbitrary<Request> requests() {
        return Arbitraries.oneOf(
                connectRequests(),
                subscribeRequests(),
                strings().map(UnsubscribeRequest::new),
                Combinators.combine(strings(), payloads()).as(PublishRequest::new),
                strings().map(PresenceRequest::new),
                strings().map(PresenceStatsRequest::new),
                historyRequests(),
                Arbitraries.just(new PingRequest()),
                payloads().map(SendRequest::new),
                Combinators.combine(payloads(), strings()).as(RpcRequest::new),
                strings().map(RefreshRequest::new),
                Combinators.combine(strings(), strings()).as(SubRefreshRequest::new));
    }

    Arbitrary<ConnectRequest> connectRequests() {
        return Combinators.combine(strings(), payloads(),
                        Arbitraries.maps(strings(), subscribeRequests()).ofMaxSize(2),
                        strings(), strings(),
                        Arbitraries.maps(strings(), strings()).ofMaxSize(2))
                .as(ConnectRequest::new);
    }

    Arbitrary<SubscribeRequest> subscribeRequests() {
        Arbitrary<SubscribeRequest> base = Combinators.combine(strings(), strings(), strings(), longs(), payloads(),
                        flags(4))
                .as((channel, token, epoch, offset, data, f) -> new SubscribeRequest(channel, token, flag(f, 0),
                        epoch, offset, data, flag(f, 1), flag(f, 2), flag(f, 3)));
        return Combinators.combine(base, strings(), filterNodes(2).injectNull(0.5), longs(), ints())
                .as((r, delta, tagsFilter, featureFlags, type) -> new SubscribeRequest(r.channel(), r.token(),
                        r.recover(), r.epoch(), r.offset(), r.data(), r.positioned(), r.recoverable(), r.joinLeave(),
                        delta, tagsFilter, featureFlags, type));
    }

    Arbitrary<FilterNode> filterNodes(int depth) {
        Arbitrary<List<FilterNode>> children = depth == 0 ? Arbitraries.just(List.of())
                : Arbitraries.lazy(() -> filterNodes(depth - 1)).list().ofMaxSize(2);
        return Combinators.combine(strings(), strings(), strings(), strings(), strings().list().ofMaxSize(2), children)
                .as(FilterNode::new);
    }

    Arbitrary<HistoryRequest> historyRequests() {
        Arbitrary<StreamPosition> positions = Combinators.combine(longs(), strings()).as(StreamPosition::new);
        return Combinators.combine(strings(), ints(), positions.injectNull(0.4), Arbitraries.of(true, false))
                .as(HistoryRequest::new);
    }

    // ---- replies

    Arbitrary<Reply> replies() {
        Arbitrary<ProtocolError> errors = Combinators.combine(ints(), strings(), Arbitraries.of(true, false))
                .as(ProtocolError::new);
        return Arbitraries.oneOf(
                Combinators.combine(ints(), errors.injectNull(0.7), results().injectNull(0.1)).as(Reply::new),
                pushes().map(Reply::push),
                Arbitraries.just(Reply.PING));
    }

    Arbitrary<Result> results() {
        return Arbitraries.oneOf(
                pushes(),
                connectResults(),
                subscribeResults(),
                Arbitraries.just(new UnsubscribeResult()),
                Arbitraries.just(new PublishResult()),
                Arbitraries.maps(strings(), clientInfos()).ofMaxSize(3).map(PresenceResult::new),
                Combinators.combine(ints(), ints()).as(PresenceStatsResult::new),
                Combinators.combine(publications().list().ofMaxSize(3), strings(), longs()).as(HistoryResult::new),
                Arbitraries.just(new PingResult()),
                payloads().map(RpcResult::new),
                Combinators.combine(strings(), strings(), Arbitraries.of(true, false), ints())
                        .as(RefreshResult::new),
                Combinators.combine(Arbitraries.of(true, false), ints()).as(SubRefreshResult::new));
    }

    Arbitrary<Push> pushes() {
        return Combinators.combine(strings(), pushBodies().injectNull(0.05)).as(Push::new);
    }

    Arbitrary<PushBody> pushBodies() {
        return Arbitraries.oneOf(
                publications(),
                clientInfos().injectNull(0.2).map(Join::new),
                clientInfos().injectNull(0.2).map(Leave::new),
                Combinators.combine(ints(), strings()).as(UnsubscribePush::new),
                payloads().map(Message::new),
                Combinators.combine(strings(), longs(), payloads(), flags(2))
                        .as((epoch, offset, data, f) -> new SubscribePush(flag(f, 0), epoch, offset, flag(f, 1), data)),
                connectResults(),
                Combinators.combine(ints(), strings(), Arbitraries.of(true, false)).as(Disconnect::new),
                Combinators.combine(Arbitraries.of(true, false), ints()).as(RefreshPush::new));
    }

    Arbitrary<ClientInfo> clientInfos() {
        return Combinators.combine(strings(), strings(), payloads(), payloads()).as(ClientInfo::new);
    }

    Arbitrary<Publication> publications() {
        return Combinators.combine(payloads(), clientInfos().injectNull(0.5), longs(),
                        Arbitraries.maps(strings(), strings()).ofMaxSize(2), Arbitraries.of(true, false), longs())
                .as(Publication::new);
    }

    Arbitrary<SubscribeResult> subscribeResults() {
        return Combinators.combine(ints(), strings(), publications().list().ofMaxSize(2), longs(), payloads(),
                        flags(6))
                .as((ttl, epoch, publications, offset, data, f) -> new SubscribeResult(flag(f, 0), ttl, flag(f, 1),
                        epoch, publications, flag(f, 2), offset, flag(f, 3), data, flag(f, 4), flag(f, 5)));
    }

    Arbitrary<ConnectResult> connectResults() {
        return Combinators.combine(strings().list().ofSize(4), ints(), payloads(),
                        Arbitraries.maps(strings(), subscribeResults()).ofMaxSize(2), ints(), longs(), flags(2))
                .as((texts, ttl, data, subs, ping, time, f) -> new ConnectResult(texts.get(0), texts.get(1),
                        flag(f, 0), ttl, data, subs, ping, flag(f, 1), texts.get(2), texts.get(3), time));
    }

    /** Lists of commands for frames. */
    Arbitrary<List<Command>> commandLists() {
        return commands().list().ofMinSize(1).ofMaxSize(5);
    }

    Arbitrary<List<Reply>> replyLists() {
        return replies().list().ofMinSize(1).ofMaxSize(5);
    }
}
