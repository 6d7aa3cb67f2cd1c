package dev.weft.protocol.codec;

import com.google.protobuf.CodedInputStream;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Protobuf encoding of client protocol v2, hand-written on {@link CodedInputStream} and
 * {@code CodedOutputStream} with client.proto's field numbers (no generated classes).
 *
 * <p>A frame is one or more messages, each prefixed with its length as a varint, as the centrifuge SDKs
 * send and expect. Proto3 defaults are omitted on output, but a present result, push body or nested message
 * is always written (possibly with length 0), so {@code Reply{id=1, publish={}}} is {@code 08 01 42 00}. An
 * empty message is {@link Command#PONG} / {@link Reply#PING}: a single {@code 00} length byte on the wire.
 * An empty {@code bytes} field decodes to {@code null} (absent). Unknown fields are skipped; a known field
 * with the wrong wire type, a truncated message, invalid UTF-8 in a string or more than one request in a
 * command is rejected. A command with an {@code id} but no known request decodes to
 * {@code new Command(id, null)}, which the engine answers with "method not found".
 *
 * <p>Output arrays are sized exactly in a first pass, so a publication is encoded into one allocation.
 * Thread-safe and stateless.
 */
final class ProtobufCodec implements ProtocolCodec {

    @Override
    public ProtocolType type() {
        return ProtocolType.PROTOBUF;
    }

    @Override
    public List<Command> decodeCommands(byte[] frame) throws ProtocolDecodeException {
        return decodeFrame(frame, "command", ProtobufCommandReader::command);
    }

    @Override
    public List<Reply> decodeReplies(byte[] frame) throws ProtocolDecodeException {
        return decodeFrame(frame, "reply", ProtobufReplyReader::reply);
    }

    /** Decodes one command body {@code buffer[offset, offset + length)} (no length prefix). */
    Command decodeCommandMessage(byte[] buffer, int offset, int length) throws ProtocolDecodeException {
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        try {
            return ProtobufCommandReader.command(in);
        } catch (IOException e) {
            throw malformed("command", e);
        }
    }

    @Override
    public byte[] encodeReply(Reply reply) {
        return new ProtobufReplyWriter().encodeFrame(List.of(reply));
    }

    @Override
    public byte[] encodeReplies(List<Reply> replies) {
        return new ProtobufReplyWriter().encodeFrame(replies);
    }

    @Override
    public byte[] encodeCommands(List<Command> commands) {
        return new ProtobufCommandWriter().encodeFrame(commands);
    }

    @Override
    public byte[] encodePush(Push push) {
        return new ProtobufReplyWriter().encodePush(push);
    }

    @Override
    public Push decodePush(byte[] frame) throws ProtocolDecodeException {
        CodedInputStream in = CodedInputStream.newInstance(frame);
        try {
            if (in.isAtEnd()) {
                throw new ProtocolDecodeException("empty Protobuf push frame");
            }
            int limit = in.pushLimit(in.readRawVarint32());
            Push push = ProtobufReplyReader.bare(in);
            if (!in.isAtEnd()) {
                throw new ProtocolDecodeException("malformed Protobuf push: truncated");
            }
            in.popLimit(limit);
            if (!in.isAtEnd()) {
                throw new ProtocolDecodeException("expected one Protobuf push, found more bytes after it");
            }
            return push;
        } catch (IOException e) {
            throw malformed("push", e);
        }
    }

    @Override
    public ConnectRequest decodeConnectRequest(byte[] body) throws ProtocolDecodeException {
        try {
            return ProtobufCommandReader.bareConnect(CodedInputStream.newInstance(body));
        } catch (IOException e) {
            throw malformed("connect request", e);
        }
    }

    private static <T> List<T> decodeFrame(byte[] frame, String what, ProtobufInput.MessageReader<T> reader)
            throws ProtocolDecodeException {
        List<T> messages = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(frame);
        try {
            while (!in.isAtEnd()) {
                int length = in.readRawVarint32();
                int frameLimit = in.pushLimit(length);
                messages.add(reader.read(in));
                in.popLimit(frameLimit);
            }
        } catch (IOException e) {
            throw malformed(what, e);
        }
        return messages;
    }

    private static ProtocolDecodeException malformed(String what, IOException e) {
        return new ProtocolDecodeException("malformed Protobuf " + what + ": " + e.getMessage(), e);
    }
}
