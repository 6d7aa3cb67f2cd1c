package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.SendRequest;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** decode(encode(x)) == x for every command and reply, in both encodings and both directions. */
class CodecRoundTripTest {
    private static final ProtocolCodec JSON = ProtocolCodecs.of(ProtocolType.JSON);
    private static final ProtocolCodec PROTOBUF = ProtocolCodecs.of(ProtocolType.PROTOBUF);

    @Property
    void jsonCommandsSurviveEncodeAndDecode(@ForAll("jsonCommands") List<Command> commands) throws Exception {
        assertSameCommands(JSON.decodeCommands(JSON.encodeCommands(commands)), commands);
    }

    @Property
    void protobufCommandsSurviveEncodeAndDecode(@ForAll("protobufCommands") List<Command> commands)
            throws Exception {
        assertSameCommands(PROTOBUF.decodeCommands(PROTOBUF.encodeCommands(commands)), commands);
    }

    @Property
    void jsonRepliesSurviveEncodeAndDecode(@ForAll("jsonReplies") List<Reply> replies) throws Exception {
        assertSameReplies(JSON.decodeReplies(JSON.encodeReplies(replies)), replies);
    }

    @Property
    void protobufRepliesSurviveEncodeAndDecode(@ForAll("protobufReplies") List<Reply> replies) throws Exception {
        assertSameReplies(PROTOBUF.decodeReplies(PROTOBUF.encodeReplies(replies)), replies);
    }

    @Property
    void encodeReplyIsTheOneElementFrame(@ForAll("protobufReplies") List<Reply> replies) throws Exception {
        Reply reply = replies.getFirst();
        assertThat(PROTOBUF.encodeReply(reply)).isEqualTo(PROTOBUF.encodeReplies(List.of(reply)));
        assertSameReplies(PROTOBUF.decodeReplies(PROTOBUF.encodeReply(reply)), List.of(reply));
    }

    @Property
    void jsonEncodeReplyIsTheOneElementFrame(@ForAll("jsonReplies") List<Reply> replies) throws Exception {
        Reply reply = replies.getFirst();
        assertThat(JSON.encodeReply(reply)).isEqualTo(JSON.encodeReplies(List.of(reply)));
        assertSameReplies(JSON.decodeReplies(JSON.encodeReply(reply)), List.of(reply));
    }

    @Example
    void theComparisonTellsEmptyResultsAndPayloadsApart() {
        assertThatThrownBy(() -> assertSameReplies(List.of(Reply.of(1, new PingResult())),
                List.of(Reply.of(1, new PublishResult()))))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSameCommands(List.of(new Command(1, new SendRequest(new byte[]{1}))),
                List.of(new Command(1, new SendRequest(new byte[]{2})))))
                .isInstanceOf(AssertionError.class);
        assertSameCommands(List.of(new Command(1, new SendRequest(new byte[]{1}))),
                List.of(new Command(1, new SendRequest(new byte[]{1}))));
    }

    @Provide
    Arbitrary<List<Command>> jsonCommands() {
        return ProtocolArbitraries.withJsonPayloads().commandLists();
    }

    @Provide
    Arbitrary<List<Command>> protobufCommands() {
        return ProtocolArbitraries.withBinaryPayloads().commandLists();
    }

    @Provide
    Arbitrary<List<Reply>> jsonReplies() {
        return ProtocolArbitraries.withJsonPayloads().replyLists();
    }

    @Provide
    Arbitrary<List<Reply>> protobufReplies() {
        return ProtocolArbitraries.withBinaryPayloads().replyLists();
    }

    /**
     * Field-by-field equality with byte arrays compared by content and record types checked strictly (an
     * empty {@code PingResult} must not pass for an empty {@code PublishResult}).
     */
    static void assertSameCommands(List<Command> actual, List<Command> expected) {
        assertThat(List.copyOf(actual)).usingRecursiveComparison().withStrictTypeChecking()
                .isEqualTo(List.copyOf(expected));
    }

    static void assertSameReplies(List<Reply> actual, List<Reply> expected) {
        assertThat(List.copyOf(actual)).usingRecursiveComparison().withStrictTypeChecking()
                .isEqualTo(List.copyOf(expected));
    }
}
