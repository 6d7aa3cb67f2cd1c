package dev.weft.server.sse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code id:} of plain SSE events: stream positions the client echoes back in {@code Last-Event-ID} to
 * resume.
 *
 * <pre>
 * id       = position *( "," position )
 * position = channel "/" epoch "/" offset
 * </pre>
 *
 * {@code channel} and {@code epoch} are percent-encoded UTF-8: every character except {@code A-Z a-z 0-9}
 * and {@code - . _ ~ : @ ! $ * #} becomes {@code %XX} (upper-case hex), so an id is printable ASCII without
 * spaces — it survives HTTP headers, URLs (after the usual query encoding) and the EventSource parser, and
 * {@code /} and {@code ,} can only be separators. {@code offset} is the unsigned 64-bit stream offset in
 * decimal. A channel without history has the position {@code channel//0}: it names the channel but cannot
 * be recovered from.
 *
 * <p>A stream with one channel uses that channel's position as the id. A stream with several puts the
 * position of the channel the event belongs to first, then every other channel's last delivered position,
 * so the last id a browser keeps resumes every channel of the stream.
 *
 * <p>Stateless; thread-safe.
 */
public final class SseEventId {
    /** Longest offset in decimal (2^64 - 1 has 20 digits). */
    private static final int MAX_OFFSET_DIGITS = 20;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final boolean[] SAFE = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            SAFE[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            SAFE[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            SAFE[c] = true;
        }
        for (char c : "-._~:@!$*#".toCharArray()) {
            SAFE[c] = true;
        }
    }

    private SseEventId() {
    }

    /** One channel's position: the last publication delivered (or the stream top when subscribing). */
    public record Position(String channel, String epoch, long offset) {
        public Position {
            if (channel == null || channel.isEmpty()) {
                throw new IllegalArgumentException("channel required");
            }
            epoch = epoch == null ? "" : epoch;
        }

        /** This position in the id syntax. */
        public String encode() {
            return SseEventId.encode(channel, epoch, offset);
        }
    }

    /** {@code channel/epoch/offset}, encoded. */
    public static String encode(String channel, String epoch, long offset) {
        StringBuilder out = new StringBuilder(channel.length() + epoch.length() + 24);
        escape(channel, out);
        out.append('/');
        escape(epoch, out);
        out.append('/').append(Long.toUnsignedString(offset));
        return out.toString();
    }

    /** The encoded channel of one encoded position: the text before its first {@code /}. */
    static String channelPart(String encodedPosition) {
        int slash = encodedPosition.indexOf('/');
        return slash < 0 ? encodedPosition : encodedPosition.substring(0, slash);
    }

    /**
     * Parses an id into positions by channel, in the order written.
     *
     * @throws IllegalArgumentException when {@code id} is not in the syntax above, names a channel twice, or
     *                                  holds more than {@code maxPositions} positions; the message says why
     */
    public static Map<String, Position> parse(String id, int maxPositions) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("empty id");
        }
        Map<String, Position> positions = new LinkedHashMap<>();
        int start = 0;
        while (true) {
            int comma = id.indexOf(',', start);
            int end = comma < 0 ? id.length() : comma;
            Position p = parsePosition(id, start, end);
            if (positions.putIfAbsent(p.channel(), p) != null) {
                throw new IllegalArgumentException("channel '" + p.channel() + "' appears twice");
            }
            if (positions.size() > maxPositions) {
                throw new IllegalArgumentException("more than " + maxPositions + " positions");
            }
            if (comma < 0) {
                return positions;
            }
            start = comma + 1;
        }
    }

    private static Position parsePosition(String id, int start, int end) {
        int first = id.indexOf('/', start);
        int second = first < 0 || first >= end ? -1 : id.indexOf('/', first + 1);
        if (first < 0 || first >= end || second < 0 || second >= end) {
            throw new IllegalArgumentException("position '" + id.substring(start, end)
                    + "' is not channel/epoch/offset");
        }
        String channel = unescape(id, start, first);
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("empty channel in position '" + id.substring(start, end) + "'");
        }
        String epoch = unescape(id, first + 1, second);
        return new Position(channel, epoch, parseOffset(id, second + 1, end));
    }

    private static long parseOffset(String id, int start, int end) {
        int length = end - start;
        if (length == 0 || length > MAX_OFFSET_DIGITS) {
            throw new IllegalArgumentException("offset must be 1 to 20 decimal digits");
        }
        for (int i = start; i < end; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("offset '" + id.substring(start, end) + "' is not a number");
            }
        }
        try {
            return Long.parseUnsignedLong(id, start, end, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("offset '" + id.substring(start, end) + "' exceeds 64 bits");
        }
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && SAFE[c]) {
                out.append(c);
                continue;
            }
            int cp = text.codePointAt(i);
            if (Character.charCount(cp) == 2) {
                i++;
            }
            // A lone surrogate cannot be UTF-8 encoded; String.getBytes would turn it into '?'.
            byte[] utf8 = Character.isSurrogate((char) cp) && cp == c
                    ? new byte[] {'?'} : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            for (byte b : utf8) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
    }

    private static String unescape(String id, int start, int end) {
        boolean plain = true;
        for (int i = start; i < end; i++) {
            char c = id.charAt(i);
            if (c == '%') {
                plain = false;
            } else if (c >= 128 || !SAFE[c]) {
                throw new IllegalArgumentException("character '" + c + "' must be percent-encoded");
            }
        }
        if (plain) {
            return id.substring(start, end);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            char c = id.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < end ? Character.digit(id.charAt(i + 1), 16) : -1;
            int lo = i + 2 < end ? Character.digit(id.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("'%' must be followed by two hex digits");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes are not UTF-8");
        }
    }
}
