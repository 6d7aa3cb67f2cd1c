package dev.weft.core.client;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.SendRequest;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.UnsubscribeRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: whatever bytes a client can put in a frame — random, truncated, bit-flipped, deeply nested,
 * lying about lengths — aimed at the command decoder and the session behind it.
 *
 * <p>Property, for thousands of JSON and Protobuf frames, sent before or after connect to a real
 * {@link ClientSession}: nothing throws out of the engine (no ERROR is logged), the session never hangs (a
 * probe command sent after the frame is answered, or the session has closed, within a bounded time), and it
 * ends in a documented state — still connected and answering, or closed with a {@link DisconnectCode} (never
 * 3004 "internal server error"); every reply it wrote decodes, and no reply carries error 100.
 */
class CommandDecoderFuzzTest {
    /** Far above what a frame's own commands use, so the probe's reply cannot be confused with theirs. */
    private static final int PROBE_ID = 2_000_000_001;
    private static final Set<Integer> DOCUMENTED_DISCONNECTS = Arrays.stream(DisconnectCode.values())
            .map(DisconnectCode::code).filter(c -> c != DisconnectCode.SERVER_ERROR.code())
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<Integer> DOCUMENTED_ERRORS = Arrays.stream(ErrorCode.values())
            .map(ErrorCode::code).filter(c -> c != ErrorCode.INTERNAL.code())
            .collect(Collectors.toUnmodifiableSet());

    /**
     * One engine per format: a Protobuf client may publish bytes that are not JSON, which JSON subscribers
     * cannot read (Centrifugo's {@code publication_data_format} problem, not the decoder's).
     */
    private static final Map<ProtocolType, Node> nodes = new java.util.EnumMap<>(ProtocolType.class);
    private static ListAppender<ILoggingEvent> logged;
    private static Level previousLevel;

    @BeforeContainer
    static void start() {
        ChannelOptions rich = ChannelOptions.builder().presence(true).joinLeave(true).historySize(10)
                .historyTtl(Duration.ofMinutes(1)).forceRecovery(true).build();
        for (ProtocolType type : ProtocolType.values()) {
            nodes.put(type, new Node(NodeConfig.DEFAULT
                    .withClient(ClientOptions.builder().insecure(true).build())
                    .withChannels(ChannelConfig.DEFAULT.withNamespaces(rich, List.of(new Namespace("chat", rich)))),
                    new MemoryBroker(), new MemoryPresenceManager()));
        }
        // Collect what the engine logs at WARN and above; the thousands of expected INFO lines stay out.
        Logger weft = (Logger) LoggerFactory.getLogger("dev.weft");
        previousLevel = weft.getLevel();
        weft.setLevel(Level.WARN);
        logged = new ListAppender<>();
        logged.start();
        weft.addAppender(logged);
    }

    @AfterContainer
    static void stop() {
        Logger weft = (Logger) LoggerFactory.getLogger("dev.weft");
        weft.detachAppender(logged);
        weft.setLevel(previousLevel);
        nodes.values().forEach(n -> n.shutdown(Duration.ofMillis(200)));
        nodes.clear();
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void jsonFramesAfterConnect(@ForAll("jsonFrames") byte[] frame) {
        drive(ProtocolType.JSON, true, frame);
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    void jsonFramesBeforeConnect(@ForAll("jsonFrames") byte[] frame) {
        drive(ProtocolType.JSON, false, frame);
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void protobufFramesAfterConnect(@ForAll("protobufFrames") byte[] frame) {
        drive(ProtocolType.PROTOBUF, true, frame);
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    void protobufFramesBeforeConnect(@ForAll("protobufFrames") byte[] frame) {
        drive(ProtocolType.PROTOBUF, false, frame);
    }

    private static void drive(ProtocolType type, boolean connectFirst, byte[] frame) {
        TestClient client = new TestClient(nodes.get(type), type);
        RecordingTransport transport = client.transport();
        try {
            synchronized (logged) { // ListAppender appends under this lock
                logged.list.clear();
            }
            if (connectFirst) {
                client.sendRaw(ProtocolCodecs.of(type).encodeCommands(List.of(new Command(1, connect()))));
                awaitAnswerOrClose(transport, 1);
                assertThat(transport.closedWith()).as("connect refused").isNull();
            }
            client.sendRaw(frame);
            Request probe = connectFirst ? new PingRequest() : connect();
            client.sendRaw(ProtocolCodecs.of(type).encodeCommands(List.of(new Command(PROBE_ID, probe))));
            awaitAnswerOrClose(transport, PROBE_ID);

            Disconnect closed = transport.closedWith();
            if (closed != null) {
                assertThat(closed.code()).as("disconnect %s", closed).isIn(DOCUMENTED_DISCONNECTS);
            }
            Statistics.label("end state").collect(closed == null ? "connected, answering" : "closed " + closed.code());
            for (Reply reply : transport.replies()) { // replies() fails on anything undecodable
                if (reply.error() != null) {
                    assertThat(reply.error().code()).as("error in %s", reply).isIn(DOCUMENTED_ERRORS);
                }
            }
            List<ILoggingEvent> errors;
            synchronized (logged) {
                errors = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).toList();
            }
            assertThat(errors).as("errors logged by the engine").isEmpty();
        } finally {
            client.session().handleTransportClosed();
        }
    }

    /** Bounded wait, polled in this thread every millisecond: the session answered {@code id} or closed. */
    private static void awaitAnswerOrClose(RecordingTransport transport, int id) {
        await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> transport.closedWith() != null
                        || transport.replies().stream().anyMatch(r -> r.id() == id));
    }

    private static ConnectRequest connect() {
        return new ConnectRequest("", null, Map.of(), "fuzz", "", Map.of());
    }

    // ---- frames -------------------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> jsonFrames() {
        Arbitrary<byte[]> valid = commands().map(c -> ProtocolCodecs.of(ProtocolType.JSON).encodeCommands(c));
        return Arbitraries.frequencyOf(
                Tuple(3, valid),
                Tuple(5, mutated(valid, jsonNoise())),
                Tuple(2, jsonJunk().map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple(1, lines(valid, jsonJunk())));
    }

    @Provide
    Arbitrary<byte[]> protobufFrames() {
        Arbitrary<byte[]> valid = commands().map(c -> ProtocolCodecs.of(ProtocolType.PROTOBUF).encodeCommands(c));
        return Arbitraries.frequencyOf(
                Tuple(3, valid),
                Tuple(5, mutated(valid, Arbitraries.bytes())),
                Tuple(2, protobufJunk().map(ProtobufBytes::framed)),
                Tuple(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple(1, lengthLies()));
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends byte[]>> Tuple(int weight,
                                                                                       Arbitrary<byte[]> a) {
        return net.jqwik.api.Tuple.of(weight, a);
    }

    /** 1–4 random edits of a valid frame: flips, deletions, insertions, duplications, truncation. */
    private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> frames, Arbitrary<Byte> noise) {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 1), noise)
                .as(Mutation::new);
        return Combinators.combine(frames, mutation.list().ofMinSize(1).ofMaxSize(4)).as((frame, edits) -> {
            byte[] out = frame;
            for (Mutation m : edits) {
                out = m.apply(out);
            }
            return out;
        });
    }

    private record Mutation(int kind, double where, double size, byte noise) {
        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return new byte[] {noise};
            }
            int at = (int) (where * in.length);
            int len = Math.max(1, (int) (size * Math.min(16, in.length - at)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case 0 -> { // overwrite one byte
                    byte[] copy = in.clone();
                    copy[Math.min(at, in.length - 1)] = noise;
                    return copy;
                }
                case 1 -> { // delete a range
                    out.write(in, 0, at);
                    out.write(in, Math.min(in.length, at + len), Math.max(0, in.length - at - len));
                }
                case 2 -> { // insert bytes
                    out.write(in, 0, at);
                    for (int i = 0; i < len; i++) {
                        out.write(noise + i);
                    }
                    out.write(in, at, in.length - at);
                }
                case 3 -> { // duplicate a range
                    out.write(in, 0, Math.min(in.length, at + len));
                    out.write(in, at, Math.min(len, in.length - at));
                    out.write(in, Math.min(in.length, at + len), Math.max(0, in.length - at - len));
                }
                default -> out.write(in, 0, at); // truncate
            }
            return out.toByteArray();
        }
    }

    /** Bytes that matter to a JSON parser, more often than chance would pick them. */
    private static Arbitrary<Byte> jsonNoise() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("{}[]\":,\\\n -0123456789eE.tfnu".chars()
                        .mapToObj(c -> (byte) c).toList())),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes()));
    }

    /** Valid and junk lines in one frame, newline-separated. */
    private static Arbitrary<byte[]> lines(Arbitrary<byte[]> valid, Arbitrary<String> junk) {
        Arbitrary<String> line = Arbitraries.oneOf(valid.map(b -> new String(b, StandardCharsets.UTF_8)), junk,
                Arbitraries.just(""), Arbitraries.just("{}"));
        return line.list().ofMinSize(2).ofMaxSize(6)
                .map(l -> String.join("\n", l).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * JSON-ish text: objects with protocol and random keys, odd numbers, escapes, deep nesting. Built from a
     * seed rather than from nested arbitraries: recursive generators are slow to generate in jqwik, and a
     * failing seed reproduces the frame just as well.
     */
    private static Arbitrary<String> jsonJunk() {
        return Arbitraries.longs().map(seed -> JunkFrames.json(new java.util.Random(seed)));
    }

    /** Random Protobuf messages: any field numbers and wire types, nested, unframed. */
    private static Arbitrary<byte[]> protobufJunk() {
        return Arbitraries.longs().map(seed -> JunkFrames.protobuf(new java.util.Random(seed)));
    }

    /** Frames whose varint length prefixes lie: too long, too short, 10-byte varints, negative. */
    private static Arbitrary<byte[]> lengthLies() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.integers().between(0, 3)).as((length, payload, shape) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (shape) {
                case 0 -> ProtobufBytes.varint(out, length);
                case 1 -> ProtobufBytes.varint(out, payload.length + 1 + (length & 0xff));
                case 2 -> out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
                default -> ProtobufBytes.varint(out, Math.max(0, payload.length - 1 - (length & 0x7)));
            }
            out.writeBytes(payload);
            return out.toByteArray();
        });
    }

    // ---- commands -----------------------------------------------------------------------------------

    private static Arbitrary<List<Command>> commands() {
        return Combinators.combine(Arbitraries.integers().between(0, 1 << 20), requests())
                .as(Command::new).list().ofMinSize(1).ofMaxSize(5);
    }

    private static Arbitrary<Request> requests() {
        Arbitrary<String> channel = Arbitraries.oneOf(
                Arbitraries.of("news", "chat:room", "$private", "dialog#alice,bob", "chat:", "unknown:x", "",
                        "x".repeat(300)),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<byte[]> data = Arbitraries.of("{}", "[1,2]", "\"s\"", "1", "null", "{\"a\":{\"b\":[]}}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<String> token = Arbitraries.of("", "not-a-jwt", "a.b.c",
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12);
        return Arbitraries.oneOf(
                Combinators.combine(token, data.injectNull(0.5), text).as((t, d, n) ->
                        new ConnectRequest(t, d, Map.of(), n, "", Map.of())),
                Combinators.combine(channel, token, Arbitraries.of(true, false), text, Arbitraries.longs(),
                        Arbitraries.of(true, false), Arbitraries.of(true, false)).as((c, t, rec, e, o, pos, jl) ->
                        new SubscribeRequest(c, t, rec, e, o, null, pos, rec, jl)),
                channel.map(UnsubscribeRequest::new),
                Combinators.combine(channel, data).as(PublishRequest::new),
                channel.map(PresenceRequest::new),
                channel.map(PresenceStatsRequest::new),
                Combinators.combine(channel, Arbitraries.integers().between(-1, 1000),
                        Arbitraries.longs().injectNull(0.5), text, Arbitraries.of(true, false))
                        .as((c, l, o, e, r) -> new HistoryRequest(c, l, o == null ? null : new StreamPosition(o, e), r)),
                Arbitraries.just(new PingRequest()),
                data.map(SendRequest::new),
                Combinators.combine(data, text).as(RpcRequest::new),
                token.map(RefreshRequest::new),
                Combinators.combine(channel, token).as(SubRefreshRequest::new));
    }
}
