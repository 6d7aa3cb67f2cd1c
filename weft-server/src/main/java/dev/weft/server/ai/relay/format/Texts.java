package dev.weft.server.ai.relay.format;

/** Upstream text shown in a failure reason: bounded and on one line. Stateless. */
public final class Texts {
    /** Longest upstream text a failure reason carries. */
    public static final int MAX_CHARS = 300;

    private Texts() {
    }

    /** {@code s} with control characters as spaces, cut to {@link #MAX_CHARS} (marked with an ellipsis). */
    public static String clip(String s) {
        String oneLine = s.strip().replaceAll("\\p{Cntrl}+", " ");
        if (oneLine.length() <= MAX_CHARS) {
            return oneLine;
        }
        int end = Character.isHighSurrogate(oneLine.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return oneLine.substring(0, end) + "…";
    }
}
