package dev.weft.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %msg} of every log pattern Weft ships (registered for {@code msg}, {@code m} and {@code message}
 * in {@code logback.xml}, so the console and the {@code log.file} appender both use it): the formatted message
 * with control characters escaped. Log lines carry strings clients choose — document and channel names, token
 * {@code kid}s, header values — and a {@code \n} in one of them would otherwise start a line of the client's
 * choosing ("log forging"). Escaping here, once, covers every log call, including ones written later.
 *
 * <p>Escaped: C0 controls and DEL ({@code \n}, {@code \r}, {@code \t} by name, the rest as {@code \}{@code u00XX}),
 * C1 controls, and the Unicode line and paragraph separators (U+2028, U+2029), which some log viewers break
 * lines at. Stack traces ({@code %ex}) are left alone: their line breaks are the server's own.
 *
 * <p>Stateless, thread-safe.
 */
public final class SafeMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return escape(event.getFormattedMessage());
    }

    /** {@code text} with every control character escaped as described above; the same string when there is none. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
