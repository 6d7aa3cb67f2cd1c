package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON encoding of client protocol v2, on Jackson's streaming parser and generator.
 *
 * <p>A frame is one or more JSON objects separated by {@code '\n'}; {@code "\r\n"}, a trailing newline and
 * blank lines are tolerated on input, output joins objects with a single {@code '\n'} and no trailing
 * newline. An empty frame decodes to no commands. Field names are the snake_case names of the protobuf
 * fields; zero values are omitted; {@code data}, {@code conn_info} and {@code chan_info} hold raw JSON
 * which is copied verbatim in both directions (the bytes in the model are the JSON text; they must be valid
 * JSON, and raw CR/LF whitespace in them is written as spaces so it cannot break framing). uint64 values are
 * JSON numbers; 64-bit fields also accept decimal strings on input. {@code null} for a field means the field
 * is absent, except for payload fields, where it is the raw JSON {@code null}.
 *
 * <p>Decoding rules: each line must be one UTF-8 JSON object nested at most {@value #MAX_NESTING_DEPTH}
 * levels deep; known fields must have their schema's JSON type; an {@code id} must be an integer in
 * [0, 2<sup>32</sup>-1]; a command may carry at most one request (a reply at most one result). Unknown
 * fields are skipped. {@code {}} is {@link Command#PONG}; an object with an {@code id} but no known request
 * decodes to {@code new Command(id, null)}, which the engine answers with "method not found".
 *
 * <p>Thread-safe and stateless apart from Jackson's internal buffer recycling.
 */
final class JsonCodec implements ProtocolCodec {
    /** Deepest JSON nesting accepted in a command, counting the command object itself as 1. */
    static final int MAX_NESTING_DEPTH = 64;

    private final JsonFactory factory = new JsonFactoryBuilder()
            .rootValueSeparator("\n")
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Emoji as 4 UTF-8 bytes, as Centrifugo writes them, rather than as an escaped surrogate pair.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    @Override
    public ProtocolType type() {
        return ProtocolType.JSON;
    }

    @Override
    public List<Command> decodeCommands(byte[] frame) throws ProtocolDecodeException {
        return decodeFrame(frame, "command", JsonCommandReader::command);
    }

    @Override
    public List<Reply> decodeReplies(byte[] frame) throws ProtocolDecodeException {
        return decodeFrame(frame, "reply", JsonReplyReader::reply);
    }

    /**
     * Decodes one line {@code buffer[from, to)} (without its {@code '\n'}); {@code null} if it is blank.
     * Used by {@link CommandStreamDecoder}.
     */
    Command decodeCommandLine(byte[] buffer, int from, int to) throws ProtocolDecodeException {
        return decodeLine(buffer, from, to, "command", JsonCommandReader::command);
    }

    /** Reads one protocol message from a line. */
    @FunctionalInterface
    private interface LineReader<T> {
        T read(JsonInput in) throws IOException, ProtocolDecodeException;
    }

    private <T> List<T> decodeFrame(byte[] frame, String what, LineReader<T> reader)
            throws ProtocolDecodeException {
        List<T> messages = new ArrayList<>();
        int end = frame.length;
        for (int lineStart = 0; lineStart < end; ) {
            int lineEnd = lineEnd(frame, lineStart, end);
            T message = decodeLine(frame, lineStart, lineEnd, what, reader);
            if (message != null) {
                messages.add(message);
            }
            lineStart = lineEnd + 1;
        }
        return messages;
    }

    private <T> T decodeLine(byte[] buffer, int from, int to, String what, LineReader<T> reader)
            throws ProtocolDecodeException {
        int start = trimStart(buffer, from, to);
        int stop = trimEnd(buffer, start, to);
        if (start == stop) {
            return null;
        }
        try (JsonParser parser = openLine(buffer, start, stop, what)) {
            return reader.read(new JsonInput(parser, buffer, start));
        } catch (JsonProcessingException e) {
            throw new ProtocolDecodeException("malformed JSON " + what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtocolDecodeException("unreadable JSON " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A parser over a trimmed line. The line must start with {@code '{'}, and no NUL may follow in the next
     * three bytes: Jackson would otherwise guess UTF-16/32, which the protocol does not allow and which
     * would hide the byte offsets raw payload capture relies on.
     */
    private JsonParser openLine(byte[] buffer, int start, int stop, String what)
            throws IOException, ProtocolDecodeException {
        if (buffer[start] != '{') {
            throw new ProtocolDecodeException("a JSON " + what + " must be an object");
        }
        for (int i = start + 1; i < Math.min(stop, start + 4); i++) {
            if (buffer[i] == 0) {
                throw new ProtocolDecodeException("malformed JSON: NUL byte in " + what);
            }
        }
        return factory.createParser(buffer, start, stop - start);
    }

    @Override
    public byte[] encodeReply(Reply reply) {
        return encodeReplies(List.of(reply));
    }

    @Override
    public byte[] encodeReplies(List<Reply> replies) {
        ByteArrayBuilder out = new ByteArrayBuilder(estimateSize(replies));
        try (JsonGenerator generator = factory.createGenerator(out)) {
            for (Reply reply : replies) {
                JsonReplyWriter.reply(generator, reply);
            }
        } catch (IOException e) {
            // Writing to memory does not fail; Jackson reports its own misuse this way.
            throw new IllegalStateException("cannot encode JSON replies", e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] encodeCommands(List<Command> commands) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 * Math.max(1, commands.size()));
        try (JsonGenerator generator = factory.createGenerator(out)) {
            for (Command command : commands) {
                JsonCommandWriter.command(generator, command);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode JSON commands", e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] encodePush(Push push) {
        int size = 64 + (push.body() instanceof Publication pub && pub.data() != null ? pub.data().length : 0);
        ByteArrayBuilder out = new ByteArrayBuilder(size);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            JsonReplyWriter.bare(generator, push);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a JSON push", e);
        }
        return out.toByteArray();
    }

    @Override
    public Push decodePush(byte[] frame) throws ProtocolDecodeException {
        List<Push> pushes = decodeFrame(frame, "push", JsonReplyReader::bare);
        if (pushes.size() != 1) {
            throw new ProtocolDecodeException("expected one JSON push, got " + pushes.size());
        }
        return pushes.getFirst();
    }

    @Override
    public ConnectRequest decodeConnectRequest(byte[] body) throws ProtocolDecodeException {
        int start = 0;
        int stop = body.length;
        while (start < stop && (isBlank(body[start]) || body[start] == '\n')) {
            start++;
        }
        while (stop > start && (isBlank(body[stop - 1]) || body[stop - 1] == '\n')) {
            stop--;
        }
        if (start == stop) {
            throw new ProtocolDecodeException("empty connect request");
        }
        try (JsonParser parser = openLine(body, start, stop, "connect request")) {
            return JsonCommandReader.bareConnect(new JsonInput(parser, body, start));
        } catch (JsonProcessingException e) {
            throw new ProtocolDecodeException("malformed JSON connect request: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtocolDecodeException("unreadable JSON connect request: " + e.getMessage(), e);
        }
    }

    /** A first buffer size that fits typical replies, including a publication's payload. */
    private static int estimateSize(List<Reply> replies) {
        int size = 0;
        for (Reply reply : replies) {
            size += 64;
            if (reply.result() instanceof Push push && push.body() instanceof Publication pub && pub.data() != null) {
                size += pub.data().length;
            }
        }
        return size;
    }

    private static int lineEnd(byte[] frame, int from, int end) {
        for (int i = from; i < end; i++) {
            if (frame[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    private static int trimStart(byte[] buffer, int from, int to) {
        while (from < to && isBlank(buffer[from])) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] buffer, int from, int to) {
        while (to > from && isBlank(buffer[to - 1])) {
            to--;
        }
        return to;
    }

    /** JSON whitespace other than the line separator. */
    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
