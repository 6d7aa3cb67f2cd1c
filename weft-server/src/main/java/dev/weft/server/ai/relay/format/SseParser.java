package dev.weft.server.ai.relay.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as the HTML standard parses them: lines end at CR, LF or CRLF; {@code :} starts a comment;
 * {@code data:} lines accumulate (joined with LF); {@code event:} names the event; a blank line dispatches it
 * (nothing when it had no data); a leading space after the colon is dropped; a BOM at the start is skipped;
 * {@code id:} and {@code retry:} are read and ignored (the relay does not reconnect); an event not ended by a
 * blank line when the body ends is discarded. Lines and events are bounded. Not thread-safe.
 */
public final class SseParser implements EventParser {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final int maxEventBytes;
    private final LineSplitter lines;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private boolean hasData;
    private String type;
    /** Bytes of a possible BOM seen so far; -1 once the start of the body is behind us. */
    private int bomMatched;
    private EventSink out;

    /** @param maxEventBytes bound on one line and on one event's data */
    public SseParser(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        this.lines = new LineSplitter(maxEventBytes);
    }

    @Override
    public void feed(byte[] bytes, int offset, int length, EventSink out)
            throws MalformedUpstreamException {
        while (bomMatched >= 0 && length > 0) {
            if (bytes[offset] == BOM[bomMatched]) {
                offset++;
                length--;
                if (++bomMatched == BOM.length) {
                    bomMatched = -1;
                }
            } else {
                byte[] seen = java.util.Arrays.copyOf(BOM, bomMatched);
                bomMatched = -1;
                this.out = out;
                lines.feed(seen, 0, seen.length, this::line);
            }
        }
        this.out = out;
        lines.feed(bytes, offset, length, this::line);
    }

    @Override
    public void end(EventSink out) {
        // An unterminated last event is discarded, as the standard says.
    }

    private void line(byte[] line, int length) throws MalformedUpstreamException {
        if (length == 0) {
            if (hasData) {
                out.event(new UpstreamEvent(type, data.toByteArray()));
            }
            data.reset();
            hasData = false;
            type = null;
            return;
        }
        if (line[0] == ':') {
            return;
        }
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        String field = new String(line, 0, colon, StandardCharsets.UTF_8);
        int valueStart = colon < length ? colon + 1 : length;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        switch (field) {
            case "data" -> {
                int add = length - valueStart + (hasData ? 1 : 0);
                if (data.size() + add > maxEventBytes) {
                    throw new MalformedUpstreamException("upstream sent an event larger than " + maxEventBytes
                            + " bytes");
                }
                if (hasData) {
                    data.write('\n');
                }
                data.write(line, valueStart, length - valueStart);
                hasData = true;
            }
            case "event" -> type = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
            default -> {
                // id, retry and unknown fields: ignored.
            }
        }
    }
}
