package dev.weft.server.ai.relay;

import java.util.List;

/** Blanks secrets (header values, URL queries) out of text a reader or a log may see. Stateless. */
final class Secrets {
    /** Shorter pieces are not searched for: they would blank ordinary words. */
    private static final int MIN_LENGTH = 6;

    private Secrets() {
    }

    /**
     * {@code text} with every secret, and every word of at least {@value #MIN_LENGTH} characters in one (the
     * token of {@code Bearer <token>}), replaced with {@code [redacted]}.
     */
    static String blank(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            out = replace(out, secret);
            for (String word : secret.split("[\\s,;=]+")) {
                out = replace(out, word);
            }
        }
        return out;
    }

    private static String replace(String text, String secret) {
        return secret.length() < MIN_LENGTH ? text : text.replace(secret, "[redacted]");
    }
}
