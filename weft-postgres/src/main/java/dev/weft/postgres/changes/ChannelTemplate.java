package dev.weft.postgres.changes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A channel name with {@code {column}} placeholders filled from a row ({@code orders:{id}},
 * {@code tenant:{tenant_id}:orders}); without placeholders every change of the table goes to the one channel.
 * Immutable.
 */
public final class ChannelTemplate {
    private final String text;
    /** Literal text at even indexes, column names at odd ones. */
    private final List<String> parts;

    private ChannelTemplate(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** @throws IllegalArgumentException for an empty template, an unclosed or empty {@code {}} */
    public static ChannelTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("channel template is empty");
        }
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                parts.add(text.substring(i));
                break;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("channel template \"" + text + "\": '{' without '}'");
            }
            if (close == open + 1) {
                throw new IllegalArgumentException("channel template \"" + text + "\": empty {} placeholder");
            }
            parts.add(text.substring(i, open));
            parts.add(text.substring(open + 1, close));
            i = close + 1;
        }
        return new ChannelTemplate(text, List.copyOf(parts));
    }

    /** True when the channel depends on no column: one channel for the table. */
    public boolean isConstant() {
        return parts.size() == 1;
    }

    /** The column names the template reads. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i < parts.size(); i += 2) {
            columns.add(parts.get(i));
        }
        return columns;
    }

    /**
     * The channel for a row, {@code valueOf} giving a column's text bytes; null when a placeholder's column is
     * absent or NULL in the row (the caller logs and skips).
     */
    public String render(Function<String, byte[]> valueOf) {
        StringBuilder channel = new StringBuilder(parts.getFirst());
        for (int i = 1; i < parts.size(); i += 2) {
            byte[] value = valueOf.apply(parts.get(i));
            if (value == null || value == TupleData.UNCHANGED) {
                return null;
            }
            channel.append(new String(value, StandardCharsets.UTF_8)).append(parts.get(i + 1));
        }
        return channel.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
