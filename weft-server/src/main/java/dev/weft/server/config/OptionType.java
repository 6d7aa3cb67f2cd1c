package dev.weft.server.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The kinds of option value, as documented in {@code docs/configuration.md}. */
public enum OptionType {
    BOOLEAN("boolean"),
    INTEGER("integer"),
    BYTES("integer (bytes)"),
    STRING("string"),
    PATH("string (URL path)"),
    DURATION("duration"),
    STRING_LIST("list of strings"),
    REGEX("string (regex)"),
    LOG_LEVEL("string"),
    LOG_FORMAT("string"),
    ERROR_MODE("string"),
    DOCUMENT_STORE("string"),
    ENGINE_TYPE("string"),
    NAMESPACE_LIST("list of objects"),
    /** A list of objects read as a whole ({@code postgres_changes}, {@code consumers}). */
    OBJECT_LIST("list of objects"),
    /** An event proxy section, read as a whole ({@link ProxyConfigDecoder}). */
    PROXY_SECTION("object or list (JSON)"),
    /** {@code ai.upstreams}, read as a whole ({@link AiUpstreamsDecoder}). */
    UPSTREAMS("object (JSON)");

    private final String docName;

    OptionType(String docName) {
        this.docName = docName;
    }

    /** The type as the documentation names it. */
    public String docName() {
        return docName;
    }

    /** Renders a value of this type as it would be written in a config file. */
    String format(Object value) {
        if (value == null) {
            return "\"\"";
        }
        return switch (this) {
            case DURATION -> '"' + GoDuration.format((Duration) value) + '"';
            case STRING, PATH, LOG_LEVEL, LOG_FORMAT, ERROR_MODE, DOCUMENT_STORE, ENGINE_TYPE -> '"' + (String) value + '"';
            case REGEX -> '"' + ((Pattern) value).pattern() + '"';
            case STRING_LIST, NAMESPACE_LIST, OBJECT_LIST -> ((List<?>) value).isEmpty() ? "[]" : value.toString();
            case UPSTREAMS -> ((java.util.Map<?, ?>) value).isEmpty() ? "{}" : "(configured)";
            default -> String.valueOf(value);
        };
    }
}
