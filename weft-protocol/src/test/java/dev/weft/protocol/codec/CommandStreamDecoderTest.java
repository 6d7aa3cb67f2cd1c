package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PublishRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.weft.protocol.codec.CodecRoundTripTest.assertSameCommands;
import static dev.weft.protocol.codec.ProtobufCodecGoldenTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandStreamDecoderTest {
    private static final int LIMIT = 1 << 20;

    // ---- the same commands whatever the chunking

    @Property(tries = 300)
    void jsonStreamSplitAnywhereYieldsTheFrameCommands(@ForAll("jsonCommands") List<Command> commands,
                                                       @ForAll("cuts") Set<Double> cuts) throws Exception {
        byte[] frame = ProtocolCodecs.of(ProtocolType.JSON).encodeCommands(commands);
        assertSameCommands(feedInChunks(ProtocolType.JSON, frame, cuts), commands);
    }

    @Property(tries = 300)
    void protobufStreamSplitAnywhereYieldsTheFrameCommands(@ForAll("protobufCommands") List<Command> commands,
                                                           @ForAll("cuts") Set<Double> cuts) throws Exception {
        byte[] frame = ProtocolCodecs.of(ProtocolType.PROTOBUF).encodeCommands(commands);
        assertSameCommands(feedInChunks(ProtocolType.PROTOBUF, frame, cuts), commands);
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void everySingleSplitPointAndByteByByteFeedingYieldTheSameCommands(ProtocolType type) throws Exception {
        List<Command> commands = List.of(
                new Command(1, new PublishRequest("news", "{\"text\":\"héllo 😀\"}".getBytes(StandardCharsets.UTF_8))),
                Command.PONG,
                new Command(300, new PingRequest()));
        byte[] frame = ProtocolCodecs.of(type).encodeCommands(commands);

        for (int split = 0; split <= frame.length; split++) {
            CommandStreamDecoder decoder = new CommandStreamDecoder(type, LIMIT);
            List<Command> decoded = new ArrayList<>(decoder.feed(frame, 0, split));
            decoded.addAll(decoder.feed(frame, split, frame.length - split));
            decoded.addAll(decoder.finish());
            assertSameCommands(decoded, commands);
        }

        CommandStreamDecoder decoder = new CommandStreamDecoder(type, LIMIT);
        List<Command> decoded = new ArrayList<>();
        for (int i = 0; i < frame.length; i++) {
            decoded.addAll(decoder.feed(frame, i, 1));
        }
        decoded.addAll(decoder.finish());
        assertSameCommands(decoded, commands);
    }

    @Test
    void returnsACommandAsSoonAsItsNewlineArrivesAndBuffersOnlyTheRest() throws Exception {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.JSON, LIMIT);
        byte[] chunk = "{\"id\":1,\"ping\":{}}\n{\"id\":2,".getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.feed(chunk, 0, chunk.length)).containsExactly(new Command(1, new PingRequest()));
        assertThat(decoder.bufferedBytes()).isEqualTo("{\"id\":2,".length());

        byte[] rest = "\"ping\":{}}\r\n\n".getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.feed(rest, 0, rest.length)).containsExactly(new Command(2, new PingRequest()));
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void returnsAProtobufCommandOnceItsLastByteArrives() throws Exception {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.PROTOBUF, LIMIT);
        byte[] frame = hex("04 0801 5a00 00");

        assertThat(decoder.feed(frame, 0, 4)).isEmpty();
        assertThat(decoder.bufferedBytes()).isEqualTo(4);
        assertThat(decoder.feed(frame, 4, 2)).containsExactly(new Command(1, new PingRequest()), Command.PONG);
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void honoursTheChunkOffsetAndLength() throws Exception {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.JSON, LIMIT);
        byte[] chunk = "xx{}\nyy".getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.feed(chunk, 2, 3)).containsExactly(Command.PONG);
    }

    // ---- bounded buffering

    @Test
    void rejectsAJsonCommandLongerThanTheLimitBeforeItsEndArrives() throws Exception {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.JSON, 16);
        byte[] part = "{\"id\":1,\"publish\":".getBytes(StandardCharsets.UTF_8);

        assertThat(decoder.feed(part, 0, 10)).isEmpty();
        assertThatThrownBy(() -> decoder.feed(part, 10, part.length - 10))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("exceeds the limit of 16");
    }

    @Test
    void rejectsACompleteJsonCommandLongerThanTheLimitToo() {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.JSON, 16);
        byte[] chunk = "{\"id\":1,\"ping\":{}}\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.feed(chunk, 0, chunk.length))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void rejectsAProtobufLengthPrefixAboveTheLimitWithoutWaitingForTheBody() {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.PROTOBUF, 100);
        byte[] prefix = hex("e807"); // 1000

        assertThatThrownBy(() -> decoder.feed(prefix, 0, prefix.length))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("command of 1000 bytes exceeds the limit of 100");
    }

    @Test
    void rejectsAnEndlessProtobufLengthPrefix() {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.PROTOBUF, 100);
        byte[] prefix = hex("ffffffffffffffffffff");

        assertThatThrownBy(() -> decoder.feed(prefix, 0, prefix.length))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("length prefix");
    }

    @Test
    void failsAtTheEndOfAStreamThatStopsInsideAProtobufCommand() throws Exception {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.PROTOBUF, LIMIT);
        byte[] frame = hex("04 0801");

        assertThat(decoder.feed(frame, 0, frame.length)).isEmpty();
        assertThatThrownBy(decoder::finish)
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("stream ended inside a Protobuf command");
    }

    @Test
    void refusesToContinueAfterAFailure() {
        CommandStreamDecoder decoder = new CommandStreamDecoder(ProtocolType.JSON, LIMIT);
        byte[] bad = "[1]\n{}\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.feed(bad, 0, bad.length)).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> decoder.feed(bad, 4, 3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> new CommandStreamDecoder(ProtocolType.JSON, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers

    @Provide
    Arbitrary<List<Command>> jsonCommands() {
        return ProtocolArbitraries.withJsonPayloads().commandLists();
    }

    @Provide
    Arbitrary<List<Command>> protobufCommands() {
        return ProtocolArbitraries.withBinaryPayloads().commandLists();
    }

    /** Relative cut positions in [0, 1]. */
    @Provide
    Arbitrary<Set<Double>> cuts() {
        return Arbitraries.doubles().between(0, 1).set().ofMaxSize(12);
    }

    private static List<Command> feedInChunks(ProtocolType type, byte[] frame, Set<Double> cuts)
            throws ProtocolDecodeException {
        TreeSet<Integer> positions = new TreeSet<>();
        for (double cut : cuts) {
            positions.add((int) Math.round(cut * frame.length));
        }
        positions.add(frame.length);
        CommandStreamDecoder decoder = new CommandStreamDecoder(type, LIMIT);
        List<Command> decoded = new ArrayList<>();
        int from = 0;
        for (int to : positions) {
            decoded.addAll(decoder.feed(frame, from, to - from));
            from = to;
        }
        decoded.addAll(decoder.finish());
        return decoded;
    }
}
