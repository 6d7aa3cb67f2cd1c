package dev.weft.server.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code log.*}: the log level ({@code none}, {@code trace}, {@code debug}, {@code info}, {@code warn},
 * {@code error}; Centrifugo's names), an optional file to write logs to ("" = standard output) and the line
 * format ({@code text}, or {@code json}: one object per line for log collectors). Applying
 * them to the logging backend is the CLI's job; this record only carries the values.
 */
public record LogConfig(String level, String file, String format) {

    /** Accepted levels, lower case, in Centrifugo's order. */
    public static final List<String> LEVELS = List.of("none", "trace", "debug", "info", "warn", "error");

    /** Accepted formats. */
    public static final List<String> FORMATS = List.of("text", "json");

    public static final LogConfig DEFAULT = new LogConfig("info", "", "text");

    public LogConfig {
        level = level == null || level.isEmpty() ? "info" : level.toLowerCase(Locale.ROOT);
        file = file == null ? "" : file;
        format = format == null || format.isEmpty() ? "text" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("log.format must be one of " + FORMATS + ", got \"" + format + "\"");
        }
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("log.level must be one of " + LEVELS + ", got \"" + level + "\"");
        }
    }

    /** Whether log lines are JSON objects. */
    public boolean json() {
        return format.equals("json");
    }
}
