package dev.weft.protocol.codec;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.SendRequest;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import dev.weft.protocol.model.UnsubscribeRequest;
import dev.weft.protocol.model.UnsubscribeResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.weft.protocol.codec.CodecRoundTripTest.assertSameCommands;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON wire format pinned byte for byte: what the server writes (in Centrifugo's field order) and what
 * the centrifuge JS SDK sends.
 */
class JsonCodecGoldenTest {
    private static final ProtocolCodec CODEC = ProtocolCodecs.of(ProtocolType.JSON);

    // ---- replies and pushes the server writes

    @Test
    void writesAPublicationPushWithItsDataEmbeddedAsJson() {
        Reply push = Reply.push(new Push("news", new Publication(json("{\"text\":\"hi\"}"), null, 5)));

        assertThat(encode(push)).isEqualTo("{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":{\"text\":\"hi\"},\"offset\":5}}}");
    }

    @Test
    void writesAPublicationWithPublisherInfoTagsAndTime() {
        ClientInfo info = new ClientInfo("user-1", "c-1", json("{\"name\":\"Alex\"}"), null);
        Reply push = Reply.push(new Push("chat", new Publication(json("[1,2]"), info, 7, Map.of("lang", "en"),
                1760000000123L)));

        assertThat(encode(push)).isEqualTo("{\"push\":{\"channel\":\"chat\",\"pub\":{\"data\":[1,2],"
                + "\"info\":{\"user\":\"user-1\",\"client\":\"c-1\",\"conn_info\":{\"name\":\"Alex\"}},"
                + "\"offset\":7,\"tags\":{\"lang\":\"en\"},\"time\":1760000000123}}}");
    }

    @Test
    void writesAConnectReplyInCentrifugoFieldOrder() {
        SubscribeResult news = new SubscribeResult(false, 0, true, "xyzw", List.of(), false, 42, true, null, false);
        ConnectResult connect = new ConnectResult("550e8400", "0.0.0 OSS", true, 3600, null, Map.of("news", news),
                25, true, "b1946ac9", "8d8f2c1e", 0);

        assertThat(encode(Reply.of(1, connect))).isEqualTo("{\"id\":1,\"connect\":{\"client\":\"550e8400\","
                + "\"version\":\"0.0.0 OSS\",\"expires\":true,\"ttl\":3600,\"subs\":{\"news\":{\"recoverable\":true,"
                + "\"epoch\":\"xyzw\",\"offset\":42,\"positioned\":true}},\"ping\":25,\"pong\":true,"
                + "\"session\":\"b1946ac9\",\"node\":\"8d8f2c1e\"}}");
    }

    @Test
    void writesTheConnectPushInTheConnectMessageFieldOrder() {
        ConnectResult connect = new ConnectResult("c1", "1.0", true, 60, json("{\"x\":1}"), Map.of(), 25, true,
                "", "", 0);

        assertThat(encode(Reply.push(new Push("", connect)))).isEqualTo("{\"push\":{\"connect\":{\"client\":\"c1\","
                + "\"version\":\"1.0\",\"data\":{\"x\":1},\"expires\":true,\"ttl\":60,\"ping\":25,\"pong\":true}}}");
    }

    @Test
    void writesErrorRepliesOmittingAFalseTemporaryFlag() {
        assertThat(encode(Reply.error(1, ErrorCode.PERMISSION_DENIED.error())))
                .isEqualTo("{\"id\":1,\"error\":{\"code\":103,\"message\":\"permission denied\"}}");
        assertThat(encode(Reply.error(2, ErrorCode.INTERNAL.error())))
                .isEqualTo("{\"id\":2,\"error\":{\"code\":100,\"message\":\"internal server error\",\"temporary\":true}}");
    }

    @Test
    void writesEmptyResultsSoTheClientSeesWhichResultItIs() {
        SubscribeResult defaults = new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false);

        assertThat(encode(Reply.of(2, defaults))).isEqualTo("{\"id\":2,\"subscribe\":{}}");
        assertThat(encode(Reply.of(3, new PublishResult()))).isEqualTo("{\"id\":3,\"publish\":{}}");
        assertThat(encode(Reply.of(4, new PingResult()))).isEqualTo("{\"id\":4,\"ping\":{}}");
        assertThat(encode(Reply.of(5, new UnsubscribeResult()))).isEqualTo("{\"id\":5,\"unsubscribe\":{}}");
        assertThat(encode(Reply.of(6, new RpcResult(null)))).isEqualTo("{\"id\":6,\"rpc\":{}}");
    }

    @Test
    void writesTheServerPingAsAnEmptyObject() {
        assertThat(encode(Reply.PING)).isEqualTo("{}");
    }

    @Test
    void joinsSeveralRepliesWithNewlines() {
        byte[] frame = CODEC.encodeReplies(List.of(Reply.of(1, new PublishResult()), Reply.PING,
                Reply.push(new Push("news", new UnsubscribePush(2500, "server unsubscribe")))));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("{\"id\":1,\"publish\":{}}\n{}\n"
                + "{\"push\":{\"channel\":\"news\",\"unsubscribe\":{\"code\":2500,\"reason\":\"server unsubscribe\"}}}");
    }

    @Test
    void writesJoinDisconnectPresenceAndHistory() {
        ClientInfo alex = new ClientInfo("42", "c1", json("{\"name\":\"Alex\"}"), json("\"admin\""));

        assertThat(encode(Reply.push(new Push("chat", new Join(alex))))).isEqualTo("{\"push\":{\"channel\":\"chat\","
                + "\"join\":{\"info\":{\"user\":\"42\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Alex\"},"
                + "\"chan_info\":\"admin\"}}}}");
        assertThat(encode(Reply.push(new Push("", DisconnectCode.INVALID_TOKEN.disconnect()))))
                .isEqualTo("{\"push\":{\"disconnect\":{\"code\":3500,\"reason\":\"invalid token\"}}}");
        assertThat(encode(Reply.of(7, new PresenceResult(Map.of("c1", alex))))).isEqualTo("{\"id\":7,\"presence\":"
                + "{\"presence\":{\"c1\":{\"user\":\"42\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Alex\"},"
                + "\"chan_info\":\"admin\"}}}}");
        assertThat(encode(Reply.of(8, new PresenceStatsResult(3, 2))))
                .isEqualTo("{\"id\":8,\"presence_stats\":{\"num_clients\":3,\"num_users\":2}}");
        HistoryResult history = new HistoryResult(List.of(new Publication(json("1"), null, 9)), "ep", 9);
        assertThat(encode(Reply.of(9, history)))
                .isEqualTo("{\"id\":9,\"history\":{\"publications\":[{\"data\":1,\"offset\":9}],\"epoch\":\"ep\",\"offset\":9}}");
    }

    @Test
    void writesUnsignedValuesAboveTheSignedRange() {
        Reply reply = new Reply(-1, null, new SubscribeResult(false, -1, false, "", List.of(), false, -1L, false,
                null, false));

        assertThat(encode(reply)).isEqualTo("{\"id\":4294967295,\"subscribe\":{\"ttl\":4294967295,"
                + "\"offset\":18446744073709551615}}");
    }

    @Test
    void escapesStringsButNotPayloads() {
        Reply push = Reply.push(new Push("a\"b\\c\n😀é", new Publication(json("{\"k\":\"v\\n\"}"), null, 0)));

        assertThat(encode(push)).isEqualTo("{\"push\":{\"channel\":\"a\\\"b\\\\c\\n😀é\",\"pub\":{\"data\":{\"k\":\"v\\n\"}}}}");
    }

    @Test
    void escapesALoneSurrogateInsteadOfFailing() throws Exception {
        Command command = decode("{\"id\":1,\"subscribe\":{\"channel\":\"x\\ud800y\"}}").getFirst();
        String channel = ((SubscribeRequest) command.request()).channel();

        assertThat(channel).isEqualTo("x\ud800y");
        assertThat(encode(Reply.push(new Push(channel, null)))).isEqualTo("{\"push\":{\"channel\":\"x\\uD800y\"}}");
    }

    @Test
    void replacesLineBreaksInPrettyPrintedPayloadsSoFramingHolds() {
        Reply push = Reply.push(new Push("news", new Publication(json("{\r\n  \"a\": 1\n}"), null, 0)));

        assertThat(encode(push)).isEqualTo("{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":{    \"a\": 1 }}}}");
    }

    // ---- commands as the centrifuge JS SDK sends them

    @Test
    void readsConnectAndSubscribeAsSentByTheJsSdk() throws Exception {
        List<Command> commands = decode("{\"id\":1,\"connect\":{\"token\":\"abc\",\"name\":\"js\"}}\n"
                + "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"epoch\":\"xyz\",\"offset\":12}}");

        assertSameCommands(commands, List.of(
                new Command(1, new ConnectRequest("abc", null, Map.of(), "js", "", Map.of())),
                new Command(2, new SubscribeRequest("news", "", true, "xyz", 12, null, false, false, false))));
    }

    @Test
    void readsAConnectWithDataSubsAndHeaders() throws Exception {
        List<Command> commands = decode("{\"id\":1,\"connect\":{\"token\":\"t\",\"data\":{\"a\": [1, {\"b\":null}]},"
                + "\"subs\":{\"news\":{\"recover\":true,\"epoch\":\"xyzw\",\"offset\":42}},\"name\":\"js\","
                + "\"version\":\"5.4.0\",\"headers\":{\"Authorization\":\"Bearer x\"}}}");

        SubscribeRequest news = new SubscribeRequest("", "", true, "xyzw", 42, null, false, false, false);
        assertSameCommands(commands, List.of(new Command(1, new ConnectRequest("t",
                json("{\"a\": [1, {\"b\":null}]}"), Map.of("news", news), "js", "5.4.0",
                Map.of("Authorization", "Bearer x")))));
    }

    @Test
    void readsEveryOtherRequest() throws Exception {
        List<Command> commands = decode(String.join("\n",
                "{\"id\":3,\"publish\":{\"channel\":\"chat\",\"data\":{\"input\":\"hello\"}}}",
                "{\"id\":4,\"unsubscribe\":{\"channel\":\"chat\"}}",
                "{\"id\":5,\"presence\":{\"channel\":\"chat\"}}",
                "{\"id\":6,\"presence_stats\":{\"channel\":\"chat\"}}",
                "{\"id\":7,\"history\":{\"channel\":\"chat\",\"limit\":10,\"since\":{\"offset\":5,\"epoch\":\"e\"},\"reverse\":true}}",
                "{\"id\":8,\"ping\":{}}",
                "{\"send\":{\"data\":\"fire and forget\"}}",
                "{\"id\":9,\"rpc\":{\"method\":\"getCurrentPrice\",\"data\":{\"symbol\":\"BTCUSD\"}}}",
                "{\"id\":10,\"refresh\":{\"token\":\"new\"}}",
                "{\"id\":11,\"sub_refresh\":{\"channel\":\"chat\",\"token\":\"sub\"}}"));

        assertSameCommands(commands, List.of(
                new Command(3, new PublishRequest("chat", json("{\"input\":\"hello\"}"))),
                new Command(4, new UnsubscribeRequest("chat")),
                new Command(5, new PresenceRequest("chat")),
                new Command(6, new PresenceStatsRequest("chat")),
                new Command(7, new HistoryRequest("chat", 10, new StreamPosition(5, "e"), true)),
                new Command(8, new PingRequest()),
                new Command(0, new SendRequest(json("\"fire and forget\""))),
                new Command(9, new RpcRequest(json("{\"symbol\":\"BTCUSD\"}"), "getCurrentPrice")),
                new Command(10, new RefreshRequest("new")),
                new Command(11, new SubRefreshRequest("chat", "sub"))));
    }

    @Test
    void readsTheEmptyObjectAsThePong() throws Exception {
        assertThat(decode("{}")).containsExactly(Command.PONG);
        assertThat(decode("{ }\n")).containsExactly(Command.PONG);
    }

    @Test
    void readsAnIdWithoutAKnownRequestAsACommandWithoutRequest() throws Exception {
        assertThat(decode("{\"id\":9,\"subscribe_to_everything\":{\"x\":1}}")).containsExactly(new Command(9, null));
        assertThat(decode("{\"id\":10}")).containsExactly(new Command(10, null));
        assertThat(decode("{\"id\":11,\"publish\":null}")).containsExactly(new Command(11, null));
    }

    @Test
    void skipsUnknownFieldsAtEveryLevel() throws Exception {
        List<Command> commands = decode("{\"future\":[1,{\"a\":2}],\"id\":1,\"subscribe\":{\"channel\":\"news\","
                + "\"cursor\":\"c\",\"later\":{\"op\":\"and\"},\"asc\":true}}");

        assertSameCommands(commands, List.of(new Command(1, SubscribeRequest.of("news"))));
    }

    @Test
    void readsDeltaFlagAndTypeOfASubscribe() throws Exception {
        List<Command> commands = decode("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"delta\":\"fossil\","
                + "\"flag\":2,\"type\":1}}");

        assertSameCommands(commands, List.of(new Command(1, new SubscribeRequest("news", "", false, "", 0, null,
                false, false, false, "fossil", null, 2, 1))));
        assertThat(((SubscribeRequest) commands.getFirst().request()).rejectsUnrecovered()).isTrue();
    }

    @Test
    void toleratesCrLfBlankLinesAndATrailingNewline() throws Exception {
        List<Command> commands = decode("\r\n{\"id\":1,\"ping\":{}}\r\n\n  \n{\"id\":2,\"ping\":{}}\r\n");

        assertSameCommands(commands, List.of(new Command(1, new PingRequest()), new Command(2, new PingRequest())));
        assertThat(decode("")).isEmpty();
    }

    @Test
    void keepsRawPayloadBytesExactlyAsSent() throws Exception {
        String data = "{ \"text\" : \"caf\\u00e9 😀\", \"n\": 1.50e3, \"list\":[ true ,null ] }";
        Command command = decode("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + data + "}}").getFirst();

        assertThat(new String(((PublishRequest) command.request()).data(), StandardCharsets.UTF_8)).isEqualTo(data);
    }

    @Test
    void acceptsUnsignedMaximaAndDecimalStringsFor64BitFields() throws Exception {
        List<Command> commands = decode("{\"id\":4294967295,\"subscribe\":{\"offset\":18446744073709551615}}\n"
                + "{\"id\":2,\"subscribe\":{\"offset\":\"12\"}}");

        assertThat(commands.get(0).id()).isEqualTo(-1);
        assertThat(((SubscribeRequest) commands.get(0).request()).offset()).isEqualTo(-1L);
        assertThat(((SubscribeRequest) commands.get(1).request()).offset()).isEqualTo(12L);
    }

    @Test
    void treatsNullAsAnAbsentFieldExceptForPayloads() throws Exception {
        Command command = decode("{\"id\":1,\"publish\":{\"channel\":null,\"data\":null}}").getFirst();

        assertSameCommands(List.of(command), List.of(new Command(1, new PublishRequest("", json("null")))));
    }

    @Test
    void writesCommandsAsTheSdkDoes() {
        byte[] frame = CODEC.encodeCommands(List.of(
                new Command(1, new ConnectRequest("abc", null, Map.of(), "js", "", Map.of())),
                new Command(2, new SubscribeRequest("news", "", true, "xyz", 12, null, false, false, false)),
                new Command(3, new PingRequest()),
                Command.PONG));

        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":1,\"connect\":{\"token\":\"abc\",\"name\":\"js\"}}\n"
                        + "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"epoch\":\"xyz\",\"offset\":12}}\n"
                        + "{\"id\":3,\"ping\":{}}\n{}");
    }

    private static String encode(Reply reply) {
        return new String(CODEC.encodeReply(reply), StandardCharsets.UTF_8);
    }

    private static List<Command> decode(String frame) throws ProtocolDecodeException {
        return CODEC.decodeCommands(frame.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
