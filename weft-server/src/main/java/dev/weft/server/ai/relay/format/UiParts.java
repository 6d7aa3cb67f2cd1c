package dev.weft.server.ai.relay.format;

import java.nio.charset.StandardCharsets;

/**
 * Writes the parts of the AI SDK UI message stream protocol v1 (the {@code uiMessageChunkSchema} of the
 * {@code ai} package): {@code text-start/delta/end} and {@code reasoning-start/delta/end} with an {@code id},
 * {@code tool-input-start/delta/available/error} with a {@code toolCallId}, {@code start-step},
 * {@code finish-step}. Text is written as given: each string is escaped as JSON requires and nothing else, so
 * a reader decodes exactly the upstream's text — lone surrogates (half an emoji the upstream split over two
 * deltas) are written as {@code \\uXXXX} escapes, which join again on the reader's side. Stateless.
 */
public final class UiParts {
    public static final byte[] START_STEP = utf8("{\"type\":\"start-step\"}");
    public static final byte[] FINISH_STEP = utf8("{\"type\":\"finish-step\"}");

    private UiParts() {
    }

    public static byte[] textStart(String id) {
        return idPart("text-start", id);
    }

    public static byte[] textDelta(String id, String delta) {
        return deltaPart("text-delta", id, delta);
    }

    public static byte[] textEnd(String id) {
        return idPart("text-end", id);
    }

    public static byte[] reasoningStart(String id) {
        return idPart("reasoning-start", id);
    }

    public static byte[] reasoningDelta(String id, String delta) {
        return deltaPart("reasoning-delta", id, delta);
    }

    public static byte[] reasoningEnd(String id) {
        return idPart("reasoning-end", id);
    }

    public static byte[] toolInputStart(String toolCallId, String toolName) {
        StringBuilder b = new StringBuilder(64).append("{\"type\":\"tool-input-start\",\"toolCallId\":");
        quote(b, toolCallId).append(",\"toolName\":");
        return utf8(quote(b, toolName).append('}'));
    }

    public static byte[] toolInputDelta(String toolCallId, String inputTextDelta) {
        StringBuilder b = new StringBuilder(64 + inputTextDelta.length())
                .append("{\"type\":\"tool-input-delta\",\"toolCallId\":");
        quote(b, toolCallId).append(",\"inputTextDelta\":");
        return utf8(quote(b, inputTextDelta).append('}'));
    }

    /** @param inputJson the tool's arguments, already checked to be one JSON value; written as they are */
    public static byte[] toolInputAvailable(String toolCallId, String toolName, String inputJson) {
        StringBuilder b = new StringBuilder(96 + inputJson.length())
                .append("{\"type\":\"tool-input-available\",\"toolCallId\":");
        quote(b, toolCallId).append(",\"toolName\":");
        quote(b, toolName).append(",\"input\":");
        return utf8(raw(b, inputJson).append('}'));
    }

    /** Arguments that are not JSON: given to the reader as a string, with why. */
    public static byte[] toolInputError(String toolCallId, String toolName, String input, String errorText) {
        StringBuilder b = new StringBuilder(128 + input.length())
                .append("{\"type\":\"tool-input-error\",\"toolCallId\":");
        quote(b, toolCallId).append(",\"toolName\":");
        quote(b, toolName).append(",\"input\":");
        quote(b, input).append(",\"errorText\":");
        return utf8(quote(b, errorText).append('}'));
    }

    private static byte[] idPart(String type, String id) {
        StringBuilder b = new StringBuilder(48).append("{\"type\":\"").append(type).append("\",\"id\":");
        return utf8(quote(b, id).append('}'));
    }

    private static byte[] deltaPart(String type, String id, String delta) {
        StringBuilder b = new StringBuilder(48 + delta.length()).append("{\"type\":\"").append(type)
                .append("\",\"id\":");
        quote(b, id).append(",\"delta\":");
        return utf8(quote(b, delta).append('}'));
    }

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped, lone surrogates too. */
    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        escape(b, c);
                    } else if (Character.isSurrogate(c)) {
                        i = surrogate(b, s, i);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** Appends JSON text as it is, except lone surrogates (only valid inside its strings), written as escapes. */
    private static StringBuilder raw(StringBuilder b, String json) {
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (Character.isSurrogate(c)) {
                i = surrogate(b, json, i);
            } else {
                b.append(c);
            }
        }
        return b;
    }

    /** Appends the surrogate at {@code i}: a whole pair as it is, a lone half as an escape; returns the last index used. */
    private static int surrogate(StringBuilder b, String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(i + 1));
            return i + 1;
        }
        escape(b, c);
        return i;
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        b.append("0".repeat(4 - hex.length())).append(hex);
    }

    private static byte[] utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
