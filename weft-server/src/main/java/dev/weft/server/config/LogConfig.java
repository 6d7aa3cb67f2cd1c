package dev.weft.server.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code log.*}: the log level ({@code none}, {@code trace}, {@code debug}, {@code info}, {@code warn},
 * {@code error}; Centrifugo's names) and an optional file to write logs to ("" = standard output). Applying
 * them to the logging backend is the CLI's job; this record only carries the values.
 */
public record LogConfig(String level, String file) {

    /** Accepted levels, lower case, in Centrifugo's order. */
    public static final List<String> LEVELS = List.of("none", "trace", "debug", "info", "warn", "error");

    public static final LogConfig DEFAULT = new LogConfig("info", "");

    public LogConfig {
        level = level == null || level.isEmpty() ? "info" : level.toLowerCase(Locale.ROOT);
        file = file == null ? "" : file;
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("log.level must be one of " + LEVELS + ", got \"" + level + "\"");
        }
    }
}
