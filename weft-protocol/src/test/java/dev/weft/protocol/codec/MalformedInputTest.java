package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.Reply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.weft.protocol.codec.ProtobufCodecGoldenTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whatever a client sends, decoding either succeeds or throws {@link ProtocolDecodeException} with a
 * message: never another exception, never a partial result.
 */
class MalformedInputTest {
    private static final ProtocolCodec JSON = ProtocolCodecs.of(ProtocolType.JSON);
    private static final ProtocolCodec PROTOBUF = ProtocolCodecs.of(ProtocolType.PROTOBUF);

    // ---- JSON

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":1,",
            "{\"id\":1,}",
            "{\"id\":1,\"publish\":{\"data\":}}",
            "{/* comment */}",
            "{'id':1}",
            "{\"id\":1}garbage",
            "{\"id\":01}",
    })
    void rejectsInvalidJson(String line) {
        assertRejectedJson(line, "malformed JSON command");
    }

    @Test
    void rejectsTwoObjectsOnOneLine() {
        assertRejectedJson("{} {}", "unexpected data after the command object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"connect\"", "42", "null", "true"})
    void rejectsAJsonValueThatIsNotAnObject(String line) {
        assertRejectedJson(line, "must be an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "4294967296", "99999999999999999999", "\"1\"", "1.5", "1e2", "null", "true",
            "{}"})
    void rejectsAnIdThatIsNotAnUnsigned32BitInteger(String id) {
        assertRejectedJson("{\"id\":" + id + ",\"ping\":{}}", "field 'id'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1,\"connect\":5}                             | field 'connect': expected an object",
            "{\"id\":1,\"connect\":[]}                            | field 'connect': expected an object",
            "{\"id\":1,\"subscribe\":{\"channel\":5}}             | field 'channel': expected a string",
            "{\"id\":1,\"subscribe\":{\"recover\":\"yes\"}}       | field 'recover': expected a boolean",
            "{\"id\":1,\"subscribe\":{\"offset\":-1}}             | field 'offset'",
            "{\"id\":1,\"subscribe\":{\"offset\":\"abc\"}}        | field 'offset'",
            "{\"id\":1,\"subscribe\":{\"offset\":18446744073709551616} | field 'offset'",
            "{\"id\":1,\"history\":{\"limit\":2147483648}}        | field 'limit'",
            "{\"id\":1,\"history\":{\"since\":1}}                 | field 'since': expected an object",
            "{\"id\":1,\"connect\":{\"headers\":{\"a\":1}}}       | field 'headers': expected a string",
            "{\"id\":1,\"connect\":{\"subs\":{\"news\":true}}}    | field 'subs': expected an object",
            "{\"id\":1,\"connect\":{},\"subscribe\":{}}           | more than one request",
    })
    void rejectsKnownFieldsWithTheWrongType(String line, String message) {
        assertRejectedJson(line, message);
    }

    @Test
    void rejectsTheWholeFrameWhenOneCommandIsBad() {
        assertRejectedJson("{\"id\":1,\"ping\":{}}\n{\"id\":2,\"ping\":5}", "field 'ping'");
    }

    @Test
    void acceptsNestingUpTo64LevelsAndRejectsDeeper() throws Exception {
        // command object (1) + send (2) + 62 arrays = 64 levels
        assertThat(JSON.decodeCommands(nestedSend(62))).hasSize(1);
        assertThatThrownBy(() -> JSON.decodeCommands(nestedSend(63)))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining("nesting depth");
        // also when the deep value is an unknown field that is only skipped
        byte[] deepUnknown = ("{\"x\":" + "[".repeat(64) + "]".repeat(64) + "}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JSON.decodeCommands(deepUnknown)).isInstanceOf(ProtocolDecodeException.class);
    }

    @Test
    void rejectsNonUtf8Input() {
        byte[] invalidUtf8 = {'{', '"', 'i', 'd', '"', ':', '1', ',', '"', 's', 'e', 'n', 'd', '"', ':', '{', '"', 'd',
                'a', 't', 'a', '"', ':', '"', (byte) 0xff, '"', '}', '}'};
        assertThatThrownBy(() -> JSON.decodeCommands(invalidUtf8)).isInstanceOf(ProtocolDecodeException.class);
        // a NUL after the brace would make Jackson guess UTF-16/32
        assertThatThrownBy(() -> JSON.decodeCommands(new byte[]{'{', 0, 0, 0}))
                .isInstanceOf(ProtocolDecodeException.class);
        assertThatThrownBy(() -> JSON.decodeCommands(new byte[]{'{', 0, '}', 0}))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    @Test
    void rejectsMalformedReplies() {
        assertThatThrownBy(() -> JSON.decodeReplies(utf8("{\"id\":1,\"publish\":{},\"ping\":{}}")))
                .isInstanceOf(ProtocolDecodeException.class).hasMessageContaining("more than one result");
        assertThatThrownBy(() -> JSON.decodeReplies(utf8("{\"push\":{\"pub\":{},\"join\":{}}}")))
                .isInstanceOf(ProtocolDecodeException.class).hasMessageContaining("more than one body");
        assertThatThrownBy(() -> JSON.decodeReplies(utf8("{\"id\":1,\"subscribe\":{\"publications\":[1]}}")))
                .isInstanceOf(ProtocolDecodeException.class).hasMessageContaining("publications");
    }

    // ---- Protobuf

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "05 0801                | truncated",        // length says 5, 2 bytes follow
            "80                     | malformed",        // length prefix never ends
            "02 08                  | truncated",        // id varint cut off
            "0b 08 ffffffffffffffffffff01 | malformed",  // id varint longer than 10 bytes
            "03 0a0100              | field 'id' (1): wire type 2, expected 0",
            "02 2001                | field 'connect' (4): wire type 0, expected 2",
            "04 2205 0a00           | truncated",        // connect claims more than the command holds
            "02 0f00                | field 'id' (1): wire type 7, expected 0",
            "02 1f00                | malformed",        // unknown field 3 with wire type 7, which does not exist
            "01 1c                  | end-group",        // unknown field 3: end-group without a group
            "01 00                  | malformed",        // field number 0
            "05 2a03 0a01ff         | malformed",        // channel is not UTF-8
            "ffffffff0f             | malformed",        // length 2^32-1: negative as int32
            "04 2200 2a00           | more than one request",
    })
    void rejectsMalformedProtobuf(String hexFrame, String message) {
        assertThatThrownBy(() -> PROTOBUF.decodeCommands(hex(hexFrame)))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsTheWholeProtobufFrameWhenOneCommandIsBad() {
        assertThatThrownBy(() -> PROTOBUF.decodeCommands(hex("04 0801 5a00 03 0a0100")))
                .isInstanceOf(ProtocolDecodeException.class);
    }

    // ---- fuzzing: decode succeeds or throws ProtocolDecodeException, nothing else

    @Property(tries = 2000)
    void randomBytesNeverBreakTheDecoders(@ForAll("randomFrames") byte[] frame) {
        for (ProtocolCodec codec : List.of(JSON, PROTOBUF)) {
            decodesOrRejects(() -> codec.decodeCommands(frame));
            decodesOrRejects(() -> codec.decodeReplies(frame));
        }
    }

    @Property(tries = 2000)
    void jsonLikeTextNeverBreaksTheJsonDecoder(@ForAll("jsonLikeFrames") byte[] frame) {
        decodesOrRejects(() -> JSON.decodeCommands(frame));
        decodesOrRejects(() -> JSON.decodeReplies(frame));
    }

    @Property(tries = 1000)
    void mutatedCommandFramesNeverBreakTheDecoders(@ForAll("commandFrames") List<Command> commands,
                                                   @ForAll("mutations") List<Mutation> mutations) {
        for (ProtocolCodec codec : List.of(JSON, PROTOBUF)) {
            byte[] frame = mutate(codec.encodeCommands(commands), mutations);
            decodesOrRejects(() -> codec.decodeCommands(frame));
        }
    }

    @Property(tries = 1000)
    void mutatedReplyFramesNeverBreakTheDecoders(@ForAll("replyFrames") List<Reply> replies,
                                                 @ForAll("mutations") List<Mutation> mutations) {
        for (ProtocolCodec codec : List.of(JSON, PROTOBUF)) {
            byte[] frame = mutate(codec.encodeReplies(replies), mutations);
            decodesOrRejects(() -> codec.decodeReplies(frame));
        }
    }

    @Provide
    Arbitrary<byte[]> randomFrames() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    @Provide
    Arbitrary<byte[]> jsonLikeFrames() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"id\"", "\"connect\"",
                "\"subscribe\"", "\"data\"", "\"offset\"", "\"channel\"", "1", "-1", "1e3", "18446744073709551616",
                "true", "null", "\\", "\\u12", "\n", "\r", " ", "\u0000", "é", "\ud83d", "\"push\"", "\"pub\"",
                "\"publications\"", "\"since\"", "\"tags\"", "\"subs\"");
        return tokens.list().ofMaxSize(30).map(parts -> utf8(String.join("", parts)));
    }

    @Provide
    Arbitrary<List<Command>> commandFrames() {
        return ProtocolArbitraries.withJsonPayloads().commandLists();
    }

    @Provide
    Arbitrary<List<Reply>> replyFrames() {
        return ProtocolArbitraries.withJsonPayloads().replyLists();
    }

    /** Overwrite, insert or delete one byte at a relative position, or truncate there. */
    record Mutation(int kind, double position, byte value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1),
                        Arbitraries.bytes())
                .as(Mutation::new)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] mutate(byte[] frame, List<Mutation> mutations) {
        byte[] result = frame;
        for (Mutation m : mutations) {
            int at = (int) Math.min(result.length, Math.floor(m.position() * (result.length + 1)));
            result = switch (m.kind()) {
                case 0 -> {
                    if (at == result.length) {
                        yield result;
                    }
                    byte[] copy = result.clone();
                    copy[at] = m.value();
                    yield copy;
                }
                case 1 -> {
                    byte[] copy = new byte[result.length + 1];
                    System.arraycopy(result, 0, copy, 0, at);
                    copy[at] = m.value();
                    System.arraycopy(result, at, copy, at + 1, result.length - at);
                    yield copy;
                }
                case 2 -> {
                    if (at == result.length) {
                        yield result;
                    }
                    byte[] copy = new byte[result.length - 1];
                    System.arraycopy(result, 0, copy, 0, at);
                    System.arraycopy(result, at + 1, copy, at, result.length - at - 1);
                    yield copy;
                }
                default -> Arrays.copyOf(result, at);
            };
        }
        return result;
    }

    @FunctionalInterface
    private interface Decode {
        List<?> run() throws ProtocolDecodeException;
    }

    private static void decodesOrRejects(Decode decode) {
        try {
            assertThat(decode.run()).doesNotContainNull();
        } catch (ProtocolDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static byte[] nestedSend(int arrays) {
        return utf8("{\"send\":{\"data\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}}");
    }

    private static void assertRejectedJson(String frame, String messagePart) {
        assertThatThrownBy(() -> JSON.decodeCommands(utf8(frame)))
                .isInstanceOf(ProtocolDecodeException.class)
                .hasMessageContaining(messagePart);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
