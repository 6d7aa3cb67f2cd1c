package dev.weft.server.ai.relay.format;

import java.util.Arrays;

/**
 * Cuts bytes into lines ending at CR, LF or CRLF (a CRLF split between two chunks is one line end), with a bound
 * on line length so an upstream that never ends a line cannot make us buffer without limit. Not thread-safe.
 */
final class LineSplitter {
    /** Receives each complete line, without its terminator. */
    interface LineSink {
        void line(byte[] buffer, int length) throws MalformedUpstreamException;
    }

    private final int maxLineBytes;
    private byte[] line = new byte[256];
    private int length;
    /** The previous byte was a CR: an LF right after it ends nothing. */
    private boolean afterCr;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    void feed(byte[] bytes, int offset, int count, LineSink sink) throws MalformedUpstreamException {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                if (b == '\n' && afterCr) {
                    afterCr = false;
                    continue;
                }
                afterCr = b == '\r';
                sink.line(line, length);
                length = 0;
                continue;
            }
            afterCr = false;
            if (length == maxLineBytes) {
                throw new MalformedUpstreamException("upstream sent a line longer than " + maxLineBytes + " bytes");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
            }
            line[length++] = b;
        }
    }

    /** Bytes after the last line end. */
    int pending() {
        return length;
    }

    byte[] buffer() {
        return line;
    }
}
