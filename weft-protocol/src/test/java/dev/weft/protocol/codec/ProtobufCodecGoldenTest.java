package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.ProtocolError;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.weft.protocol.codec.CodecRoundTripTest.assertSameCommands;
import static dev.weft.protocol.codec.CodecRoundTripTest.assertSameReplies;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-computed Protobuf bytes that pin client.proto's field numbers, wire types and the varint-length
 * framing. Each expected value is written as {@code length prefix | message}, field by field.
 */
class ProtobufCodecGoldenTest {
    private static final ProtocolCodec CODEC = ProtocolCodecs.of(ProtocolType.PROTOBUF);

    @Test
    void writesAnEmptyPublishResultAsAPresentZeroLengthField() throws Exception {
        // Reply{id=1 (08 01), publish=8 (42) length 0}
        assertEncodes(Reply.of(1, new PublishResult()), "04 0801 4200");
    }

    @Test
    void writesTheServerPingAsOneZeroLengthByte() throws Exception {
        assertEncodes(Reply.PING, "00");
        assertThat(CODEC.decodeCommands(hex("00"))).containsExactly(Command.PONG);
    }

    @Test
    void writesAPublicationPush() throws Exception {
        // Push{channel=2 "news", pub=4 {data=4 "hi", offset=6 5}} in Reply.push=4
        Reply push = Reply.push(new Push("news", new Publication(new byte[]{'h', 'i'}, null, 5)));
        assertEncodes(push, "10 22 0e 1204 6e657773 2206 2202 6869 3005");
    }

    @Test
    void writesAnErrorReply() throws Exception {
        // Reply{id=7, error=2 {code=1 103, message=2 "x", temporary=3 true}}
        assertEncodes(Reply.error(7, new ProtocolError(103, "x", true)), "0b 0807 1207 0867 120178 1801");
    }

    @Test
    void numbersTheConnectResultAndTheConnectPushDifferently() throws Exception {
        ConnectResult connect = new ConnectResult("", "", true, 60, null, Map.of(), 0, false, "", "", 0);
        // ConnectResult: expires=3, ttl=4, in Reply.connect=5
        assertEncodes(Reply.of(1, connect), "08 0801 2a04 1801 203c");
        // Connect push: expires=5, ttl=6, in Push.connect=10, in Reply.push=4
        assertEncodes(Reply.push(new Push("", connect)), "08 2206 5204 2801 303c");
    }

    @Test
    void numbersConnectDataAndSubsDifferentlyInResultAndPush() throws Exception {
        SubscribeResult sub = new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false);
        ConnectResult connect = new ConnectResult("", "", false, 0, new byte[]{1}, Map.of("c", sub), 0, false, "",
                "", 0);
        // result: data=5, subs=6 entry {key=1 "c", value=2 {}}
        assertEncodes(Reply.of(1, connect), "0e 0801 2a0a 2a0101 3205 0a0163 1200");
        // push: data=3, subs=4
        assertEncodes(Reply.push(new Push("", connect)), "0e 220c 520a 1a0101 2205 0a0163 1200");
    }

    @Test
    void readsConnectAndSubscribeCommands() throws Exception {
        // Command{id=1, connect=4 {token=1 "abc"}} ; Command{id=2, subscribe=5 {channel=1 "news", recover=3,
        // epoch=6 "xyz", offset=7 12}}
        List<Command> commands = CODEC.decodeCommands(hex("09 0801 2205 0a03616263"
                + "13 0802 2a0f 0a046e657773 1801 320378797a 380c"));

        assertSameCommands(commands, List.of(
                new Command(1, new ConnectRequest("abc", null, Map.of(), "", "", Map.of())),
                new Command(2, new SubscribeRequest("news", "", true, "xyz", 12, null, false, false, false))));
    }

    @Test
    void writesCommandsWithTheSameBytesTheSdkSends() {
        byte[] frame = CODEC.encodeCommands(List.of(
                new Command(1, new ConnectRequest("abc", null, Map.of(), "", "", Map.of())),
                new Command(3, new PingRequest())));

        assertThat(frame).isEqualTo(hex("09 0801 2205 0a03616263 04 0803 5a00"));
    }

    @Test
    void writesNegativeInt32AsTenBytesAndLargeUint64AsUnsigned() throws Exception {
        // HistoryRequest{limit=7 -1 (10-byte varint)}, in Command.history=10
        Command history = new Command(1, new HistoryRequest("", -1, null, false));
        assertThat(CODEC.encodeCommands(List.of(history))).isEqualTo(hex("0f 0801 520b 38ffffffffffffffffff01"));
        assertSameCommands(CODEC.decodeCommands(CODEC.encodeCommands(List.of(history))), List.of(history));

        // Publication{offset=6 2^64-1}
        Reply push = Reply.push(new Push("", new Publication(null, null, -1L)));
        assertEncodes(push, "0f 220d 220b 30ffffffffffffffffff01");
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() throws Exception {
        // Command{id=1, field 99 varint, field 100 fixed64, field 101 bytes, field 102 fixed32, ping=11 {}}
        byte[] frame = hex("1c 0801 980607 a1060102030405060708 aa0602abcd b50601020304 5a00");

        assertThat(CODEC.decodeCommands(frame)).singleElement()
                .satisfies(command -> assertSameCommands(List.of(command), List.of(new Command(1, new PingRequest()))));
    }

    private static void assertEncodes(Reply reply, String expectedHex) throws Exception {
        byte[] expected = hex(expectedHex);
        assertThat(HexFormat.of().formatHex(CODEC.encodeReply(reply))).isEqualTo(HexFormat.of().formatHex(expected));
        assertSameReplies(CODEC.decodeReplies(expected), List.of(reply));
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
