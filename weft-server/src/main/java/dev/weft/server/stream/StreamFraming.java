package dev.weft.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderValues;

import java.nio.charset.StandardCharsets;

/**
 * How the frames of a streaming HTTP response are delimited on the wire: the engine hands a transport whole
 * frames ({@code Transport.write}), the framing turns each into the bytes of one HTTP chunk.
 *
 * <p>Implementations are stateless and thread-safe. {@link #frame} wraps the frame array without copying
 * where it can (the array is shared between subscribers and must not be modified), so the returned buffer must
 * be written or released once.
 */
public interface StreamFraming {

    /** Server-Sent Events: each frame becomes one event, {@code data: <line>} per line, then a blank line. */
    StreamFraming SSE = new SseFraming();

    /**
     * Frames that are whole SSE events already ({@code id:}, {@code event:}, {@code data:} lines and the blank
     * line; plain SSE, {@code SseEventFormat}): written as they are.
     */
    StreamFraming SSE_EVENTS = new Delimited("text/event-stream; charset=utf-8", new byte[0]);

    /** One frame per line: the frame, then {@code '\n'} (JSON frames never contain a raw newline). */
    StreamFraming NEWLINE_DELIMITED = new Delimited("application/x-ndjson", new byte[] {'\n'});

    /** Frames that delimit themselves (Protobuf frames carry their varint length): written as they are. */
    StreamFraming SELF_DELIMITED = new Delimited(HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(), new byte[0]);

    /** The response's {@code Content-Type}. */
    String contentType();

    /** The bytes of one frame on the wire. */
    ByteBuf frame(byte[] frame);

    /** Frame followed by a fixed suffix. */
    final class Delimited implements StreamFraming {
        private final String contentType;
        private final byte[] suffix;

        private Delimited(String contentType, byte[] suffix) {
            this.contentType = contentType;
            this.suffix = suffix;
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public ByteBuf frame(byte[] frame) {
            return suffix.length == 0 ? Unpooled.wrappedBuffer(frame) : Unpooled.wrappedBuffer(frame, suffix);
        }

        @Override
        public String toString() {
            return contentType;
        }
    }

    /**
     * SSE events. A frame holding several lines (several JSON replies joined by {@code '\n'}) becomes one event
     * with a {@code data:} field per line, which EventSource joins back with {@code '\n'}; CR, LF and CRLF all
     * end a line, as the SSE grammar says.
     */
    final class SseFraming implements StreamFraming {
        private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END_OF_EVENT = {'\n', '\n'};
        private static final byte[] END_OF_LINE = {'\n'};

        private SseFraming() {
        }

        @Override
        public String contentType() {
            return "text/event-stream; charset=utf-8";
        }

        @Override
        public ByteBuf frame(byte[] frame) {
            if (!hasLineBreak(frame)) {
                return Unpooled.wrappedBuffer(DATA, frame, END_OF_EVENT);
            }
            ByteBuf out = Unpooled.buffer(frame.length + 16);
            int lineStart = 0;
            for (int i = 0; i <= frame.length; i++) {
                boolean end = i == frame.length;
                if (end || frame[i] == '\n' || frame[i] == '\r') {
                    out.writeBytes(DATA).writeBytes(frame, lineStart, i - lineStart).writeBytes(END_OF_LINE);
                    if (!end && frame[i] == '\r' && i + 1 < frame.length && frame[i + 1] == '\n') {
                        i++;
                    }
                    lineStart = i + 1;
                }
            }
            return out.writeBytes(END_OF_LINE);
        }

        private static boolean hasLineBreak(byte[] frame) {
            for (byte b : frame) {
                if (b == '\n' || b == '\r') {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "sse";
        }
    }
}
