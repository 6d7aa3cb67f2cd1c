package dev.weft.server.websocket;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An origin pattern of {@code client.allowed_origins}, read as Centrifugo reads it: a glob in the syntax of
 * {@code github.com/gobwas/glob} compiled without separators, matched against the whole lower-cased
 * {@code Origin} header.
 *
 * <ul>
 *   <li>{@code *} (and {@code **}) — any run of characters, dots and slashes included:
 *       {@code *.example.com} matches {@code https://app.example.com}, {@code https://a.b.example.com} and
 *       also {@code https://evil-example.com.example.com}, but not {@code https://example.com};</li>
 *   <li>{@code ?} — any one character;</li>
 *   <li>{@code [abc]}, {@code [a-z]} — one of the characters; {@code [!abc]}, {@code [!a-z]} — none of them;</li>
 *   <li>{@code {app,admin}} — any of the comma-separated alternatives (which may hold wildcards);</li>
 *   <li>{@code \} — the next character literally; everything else is literal.</li>
 * </ul>
 *
 * <p>One difference, on purpose: Weft lower-cases the pattern too, so {@code https://App.example.com} works;
 * Centrifugo lower-cases only the Origin, and such a pattern never matches there.
 *
 * <p>Immutable, thread-safe.
 */
final class OriginGlob {
    private final String source;
    private final Pattern pattern;

    private OriginGlob(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException for an unclosed {@code [} or {@code {}, or an empty class */
    static OriginGlob compile(String glob) {
        String lower = glob.trim().toLowerCase(Locale.ROOT);
        Parser parser = new Parser(lower);
        String regex = parser.sequence(false);
        if (parser.pos != lower.length()) {
            throw new IllegalArgumentException("malformed origin pattern '" + glob + "': unexpected '"
                    + lower.charAt(parser.pos) + "' at " + parser.pos);
        }
        return new OriginGlob(glob, Pattern.compile(regex, Pattern.DOTALL));
    }

    boolean matches(String lowerCaseOrigin) {
        return pattern.matcher(lowerCaseOrigin).matches();
    }

    /** Whether this pattern lets every origin in (a lone {@code *}). */
    boolean matchesEverything() {
        return source.trim().chars().allMatch(c -> c == '*') && !source.isBlank();
    }

    @Override
    public String toString() {
        return source;
    }

    /** Recursive descent over the glob; {@code pos} is the next character to read. */
    private static final class Parser {
        private final String glob;
        private int pos;

        Parser(String glob) {
            this.glob = glob;
        }

        /** Reads until the end, or (inside braces) until an unescaped {@code ,} or {@code }}. */
        String sequence(boolean inBraces) {
            StringBuilder regex = new StringBuilder();
            while (pos < glob.length()) {
                char c = glob.charAt(pos);
                if (inBraces && (c == ',' || c == '}')) {
                    break;
                }
                pos++;
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    case '[' -> regex.append(characterClass());
                    case '{' -> regex.append(alternatives());
                    case '\\' -> {
                        if (pos >= glob.length()) {
                            throw malformed("a trailing \\");
                        }
                        regex.append(Pattern.quote(String.valueOf(glob.charAt(pos++))));
                    }
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }

        private String alternatives() {
            StringBuilder regex = new StringBuilder("(?:");
            while (true) {
                regex.append(sequence(true));
                if (pos >= glob.length()) {
                    throw malformed("an unclosed {");
                }
                char c = glob.charAt(pos++);
                if (c == '}') {
                    return regex.append(')').toString();
                }
                regex.append('|');
            }
        }

        private String characterClass() {
            StringBuilder regex = new StringBuilder("[");
            if (pos < glob.length() && glob.charAt(pos) == '!') {
                regex.append('^');
                pos++;
            }
            int start = pos;
            while (pos < glob.length() && glob.charAt(pos) != ']') {
                char c = glob.charAt(pos++);
                if (c == '-' && pos - 1 > start && pos < glob.length() && glob.charAt(pos) != ']') {
                    regex.append('-');
                } else {
                    regex.append(classLiteral(c));
                }
            }
            if (pos >= glob.length()) {
                throw malformed("an unclosed [");
            }
            if (pos == start) {
                throw malformed("an empty []");
            }
            pos++; // ]
            return regex.append(']').toString();
        }

        private static String classLiteral(char c) {
            return Character.isLetterOrDigit(c) ? String.valueOf(c) : String.format("\\x{%x}", (int) c);
        }

        private IllegalArgumentException malformed(String what) {
            return new IllegalArgumentException("malformed origin pattern '" + glob + "': " + what);
        }
    }
}
