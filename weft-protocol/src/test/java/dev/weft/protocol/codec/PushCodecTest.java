package dev.weft.protocol.codec;

import com.google.protobuf.CodedInputStream;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.weft.protocol.codec.ProtobufCodecGoldenTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bare pushes and bare connect requests, what unidirectional transports (uni_sse, uni_http_stream,
 * uni_websocket) carry instead of replies and commands: pinned bytes and round trips.
 */
class PushCodecTest {
    private static final ProtocolCodec JSON = ProtocolCodecs.of(ProtocolType.JSON);
    private static final ProtocolCodec PROTOBUF = ProtocolCodecs.of(ProtocolType.PROTOBUF);

    // ---- JSON, byte for byte as in Centrifugo's unidirectional protocol documentation

    @Example
    void writesAPublicationPushWithoutTheReplyAround() throws Exception {
        Push push = new Push("news", new Publication(json("{\"input\":1}"), null, 1));

        assertThat(text(JSON.encodePush(push))).isEqualTo("{\"channel\":\"news\",\"pub\":{\"data\":{\"input\":1},\"offset\":1}}");
        assertSame(JSON.decodePush(JSON.encodePush(push)), push);
    }

    @Example
    void writesTheConnectPushWithItsSubscriptions() {
        SubscribeResult sub = new SubscribeResult(false, 0, true, "BXLK", List.of(), false, 12, true, null, false);
        ConnectResult connect = new ConnectResult("5c5b", "weft", false, 0, null, Map.of("personal:#2694", sub), 25,
                true, "", "", 0);

        assertThat(text(JSON.encodePush(new Push("", connect)))).isEqualTo("{\"connect\":{\"client\":\"5c5b\","
                + "\"version\":\"weft\",\"subs\":{\"personal:#2694\":{\"recoverable\":true,\"epoch\":\"BXLK\","
                + "\"offset\":12,\"positioned\":true}},\"ping\":25,\"pong\":true}}");
    }

    @Example
    void writesTheDisconnectPush() {
        assertThat(text(JSON.encodePush(new Push("", DisconnectCode.SHUTDOWN.disconnect()))))
                .isEqualTo("{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}}");
    }

    @Example
    void theEmptyPushIsThePing() throws Exception {
        assertThat(text(JSON.encodePush(new Push("", null)))).isEqualTo("{}");
        assertThat(JSON.decodePush(json(" {} \n"))).isEqualTo(new Push("", null));
        assertThat(HexFormat.of().formatHex(PROTOBUF.encodePush(new Push("", null)))).isEqualTo("00");
        assertThat(PROTOBUF.decodePush(hex("00"))).isEqualTo(new Push("", null));
    }

    @Example
    void aPushIsNotAReply() {
        assertThatThrownBy(() -> JSON.decodePush(json("{}\n{}"))).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> JSON.decodePush(json(""))).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> JSON.decodePush(json("{\"channel\":1}"))).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> PROTOBUF.decodePush(hex(""))).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> PROTOBUF.decodePush(hex("00 00"))).isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> PROTOBUF.decodePush(hex("05 1204"))).isInstanceOf(ProtocolDecodeException.class);
    }

    // ---- Protobuf

    @Example
    void writesAProtobufPushAsALengthPrefixedPushMessage() throws Exception {
        // Push{channel=2 "news", pub=4 {data=4 "hi", offset=6 5}}: the Reply.push field's body, own prefix
        Push push = new Push("news", new Publication(new byte[] {'h', 'i'}, null, 5));

        assertThat(HexFormat.of().formatHex(PROTOBUF.encodePush(push)))
                .isEqualTo(HexFormat.of().formatHex(hex("0e 1204 6e657773 2206 2202 6869 3005")));
        assertSame(PROTOBUF.decodePush(hex("0e 1204 6e657773 2206 2202 6869 3005")), push);
    }

    // ---- connect requests

    @Example
    void readsTheConnectRequestOfACfConnectParameter() throws Exception {
        ConnectRequest request = JSON.decodeConnectRequest(json("\n  {\"token\": \"abc\",\n \"subs\": "
                + "{\"user#2694\": {\"recover\": true, \"offset\": 12, \"epoch\": \"xD5R\"}}, \"name\": \"js\"}\r\n"));

        assertThat(request.token()).isEqualTo("abc");
        assertThat(request.name()).isEqualTo("js");
        SubscribeRequest sub = request.subs().get("user#2694");
        assertThat(sub.recover()).isTrue();
        assertThat(sub.offset()).isEqualTo(12);
        assertThat(sub.epoch()).isEqualTo("xD5R");
        assertThat(JSON.decodeConnectRequest(json("{}")).token()).isEmpty();
    }

    @Example
    void refusesAnythingButOneConnectObject() {
        for (String bad : List.of("", "  \n", "[]", "\"token\"", "{\"token\":1}", "{\"token\":\"a\"} {}", "{",
                "{\"subs\":[]}", "{\"subs\":{\"a\":{\"offset\":-1}}}")) {
            assertThatThrownBy(() -> JSON.decodeConnectRequest(json(bad))).as(bad)
                    .isInstanceOf(ProtocolDecodeException.class);
        }
        assertThatThrownBy(() -> PROTOBUF.decodeConnectRequest(hex("0a05 6162")))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    @Example
    void readsAProtobufConnectRequestMessage() throws Exception {
        // ConnectRequest{token=1 "abc", name=4 "go"}
        ConnectRequest request = PROTOBUF.decodeConnectRequest(hex("0a03616263 2202676f"));
        assertThat(request.token()).isEqualTo("abc");
        assertThat(request.name()).isEqualTo("go");
    }

    // ---- properties

    @Property
    void jsonPushesSurviveEncodeAndDecode(@ForAll("jsonPushes") Push push) throws Exception {
        byte[] frame = JSON.encodePush(push);
        assertSame(JSON.decodePush(frame), push);
        // One line: a push never breaks newline-delimited or SSE framing.
        assertThat(new String(frame, StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain("\r");
    }

    @Property
    void protobufPushesSurviveEncodeAndDecode(@ForAll("protobufPushes") Push push) throws Exception {
        assertSame(PROTOBUF.decodePush(PROTOBUF.encodePush(push)), push);
    }

    @Property
    void aBarePushIsTheBodyOfThePushReply(@ForAll("jsonPushes") Push push) {
        String wrapped = text(JSON.encodeReply(Reply.push(push)));
        assertThat(wrapped).isEqualTo("{\"push\":" + text(JSON.encodePush(push)) + "}");
    }

    @Property
    void jsonConnectRequestsSurviveEncodeAndDecode(@ForAll("jsonConnects") ConnectRequest request) throws Exception {
        // The bare object is the command's "connect" field: {"id":1,"connect":{...}}.
        String command = text(JSON.encodeCommands(List.of(new Command(1, request))));
        String bare = command.substring("{\"id\":1,\"connect\":".length(), command.length() - 1);

        assertSameConnect(JSON.decodeConnectRequest(json(bare)), request);
    }

    @Property
    void protobufConnectRequestsSurviveEncodeAndDecode(@ForAll("protobufConnects") ConnectRequest request)
            throws Exception {
        // Command{id=1, connect=4 {...}} with its varint length in front: take the connect field's body.
        CodedInputStream in = CodedInputStream.newInstance(PROTOBUF.encodeCommands(List.of(new Command(1, request))));
        in.readRawVarint32();
        byte[] body = new byte[0];
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == 4) {
                body = in.readByteArray();
            } else {
                in.skipField(tag);
            }
        }
        assertSameConnect(PROTOBUF.decodeConnectRequest(body), request);
    }

    @Provide
    Arbitrary<Push> jsonPushes() {
        return ProtocolArbitraries.withJsonPayloads().pushes();
    }

    @Provide
    Arbitrary<Push> protobufPushes() {
        return ProtocolArbitraries.withBinaryPayloads().pushes();
    }

    @Provide
    Arbitrary<ConnectRequest> jsonConnects() {
        return ProtocolArbitraries.withJsonPayloads().connectRequests();
    }

    @Provide
    Arbitrary<ConnectRequest> protobufConnects() {
        return ProtocolArbitraries.withBinaryPayloads().connectRequests();
    }

    private static void assertSame(Push actual, Push expected) {
        CodecRoundTripTest.assertSameReplies(List.of(Reply.push(actual)), List.of(Reply.push(expected)));
    }

    private static void assertSameConnect(ConnectRequest actual, ConnectRequest expected) {
        CodecRoundTripTest.assertSameCommands(List.of(new Command(1, actual)), List.of(new Command(1, expected)));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
