package dev.weft.server.ai.relay.format;

import java.util.Arrays;

/**
 * Newline-delimited JSON: each non-blank line is one event (lines end at LF, CRLF or CR); a last line without
 * its LF still counts when the body ends. Lines are bounded. Not thread-safe.
 */
public final class NdjsonParser implements EventParser {
    private final LineSplitter lines;

    public NdjsonParser(int maxLineBytes) {
        this.lines = new LineSplitter(maxLineBytes);
    }

    @Override
    public void feed(byte[] bytes, int offset, int length, EventSink out)
            throws MalformedUpstreamException {
        lines.feed(bytes, offset, length, (line, n) -> emit(line, n, out));
    }

    @Override
    public void end(EventSink out) throws MalformedUpstreamException {
        emit(lines.buffer(), lines.pending(), out);
    }

    private static void emit(byte[] line, int length, EventSink out) throws MalformedUpstreamException {
        boolean blank = true;
        for (int i = 0; i < length && blank; i++) {
            blank = line[i] == ' ' || line[i] == '\t';
        }
        if (!blank) {
            out.event(new UpstreamEvent(null, Arrays.copyOf(line, length)));
        }
    }
}
