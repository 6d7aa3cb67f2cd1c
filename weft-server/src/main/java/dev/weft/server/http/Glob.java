package dev.weft.server.http;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Glob patterns as Centrifugo reads them (gobwas/glob without separators) in the {@code channels} API method
 * and in {@code client.allowed_origins}:
 * {@code *} any run of characters, {@code ?} one character, {@code [abc]} / {@code [a-z]} one of,
 * {@code [!abc]} none of, {@code {a,b}} alternatives (each itself a glob), {@code \x} a literal {@code x}.
 * Compiled to a {@link Pattern}; immutable and thread-safe.
 */
public final class Glob {
    private final String source;
    private int at;

    private Glob(String source) {
        this.source = source;
    }

    /**
     * @throws IllegalArgumentException for an unterminated {@code [} or {@code {}, an empty class, or a
     *                                  trailing {@code \}
     */
    public static Predicate<String> compile(String glob) {
        Glob parser = new Glob(glob);
        String regex = parser.sequence(false);
        if (parser.at < glob.length()) {
            throw new IllegalArgumentException("unexpected '" + glob.charAt(parser.at) + "' at " + parser.at);
        }
        return Pattern.compile(regex, Pattern.DOTALL).asMatchPredicate();
    }

    /** Reads until the end, or (inside braces) until an unescaped {@code ,} or {@code }}. */
    private String sequence(boolean inBraces) {
        StringBuilder out = new StringBuilder();
        while (at < source.length()) {
            char c = source.charAt(at);
            if (inBraces && (c == ',' || c == '}')) {
                break;
            }
            at++;
            switch (c) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                case '[' -> out.append(charClass());
                case '{' -> out.append(alternatives());
                case '\\' -> {
                    if (at >= source.length()) {
                        throw new IllegalArgumentException("trailing \\");
                    }
                    out.append(Pattern.quote(String.valueOf(source.charAt(at++))));
                }
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    private String alternatives() {
        StringBuilder out = new StringBuilder("(?:");
        while (true) {
            out.append(sequence(true));
            if (at >= source.length()) {
                throw new IllegalArgumentException("unterminated {");
            }
            char c = source.charAt(at++);
            if (c == '}') {
                return out.append(')').toString();
            }
            out.append('|');
        }
    }

    private String charClass() {
        StringBuilder out = new StringBuilder("[");
        if (at < source.length() && source.charAt(at) == '!') {
            out.append('^');
            at++;
        }
        boolean empty = true;
        while (at < source.length() && source.charAt(at) != ']') {
            char c = source.charAt(at++);
            if (c == '-' && !empty && at < source.length() && source.charAt(at) != ']') {
                out.append('-');
                continue;
            }
            out.append(classLiteral(c));
            empty = false;
        }
        if (at >= source.length()) {
            throw new IllegalArgumentException("unterminated [");
        }
        if (empty) {
            throw new IllegalArgumentException("empty []");
        }
        at++;
        return out.append(']').toString();
    }

    private static String classLiteral(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }
}
