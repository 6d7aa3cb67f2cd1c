package dev.weft.core.docs;

/** How document names appear in log lines: quoted, with control and invisible characters escaped. */
public final class DocumentNames {
    private DocumentNames() {
    }

    /**
     * {@code name} in double quotes; a quote, a backslash and every character that is not a letter, digit,
     * punctuation, symbol or plain space become {@code \"}, {@code \\}, {@code \\uXXXX}, so a room name cannot
     * forge or break a log line.
     */
    public static String forLog(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == ' ' || (!Character.isISOControl(c) && !Character.isWhitespace(c)
                    && Character.getType(c) != Character.FORMAT && !Character.isSurrogate(c)
                    && Character.getType(c) != Character.UNASSIGNED)) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
