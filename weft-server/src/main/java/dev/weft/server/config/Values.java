package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Readers for option values. Every reader accepts the value as the config file holds it (JSON/YAML/TOML
 * scalar or list) and as text (environment variables, command-line overrides, and quoted scalars in a file:
 * Centrifugo's loader converts between the two the same way). Stateless; any thread.
 */
final class Values {

    private Values() {
    }

    /** Reads one option value; the message of {@link BadValue} says what is wrong without naming the key. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(JsonNode node) throws BadValue;
    }

    /** A value of the wrong type or out of range. */
    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code true}/{@code false}, or Go's {@code strconv.ParseBool} spellings when given as text. */
    static Decoder<Boolean> bool() {
        return node -> {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isTextual()) {
                switch (node.textValue().trim()) {
                    case "1", "t", "T", "true", "TRUE", "True":
                        return true;
                    case "0", "f", "F", "false", "FALSE", "False":
                        return false;
                    default:
                        break;
                }
            }
            throw expected("boolean", node);
        };
    }

    /** A whole number in {@code [min, max]}; text holding a whole number is accepted. */
    static Decoder<Integer> integer(int min, int max) {
        return node -> {
            long v = wholeNumber(node, "integer");
            if (v < min || v > max) {
                throw new BadValue(range(min, max, Integer.MAX_VALUE) + ", got " + v);
            }
            return (int) v;
        };
    }

    /** A byte count (whole number) of at least {@code min}. */
    static Decoder<Long> bytes(long min) {
        return node -> {
            long v = wholeNumber(node, "integer (bytes)");
            if (v < min) {
                throw new BadValue("must be at least " + min + ", got " + v);
            }
            return v;
        };
    }

    /** Any scalar, as text (numbers and booleans are converted, as Centrifugo's loader does). */
    static Decoder<String> string() {
        return node -> {
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isValueNode()) {
                return node.asText();
            }
            throw expected("string", node);
        };
    }

    /** A non-empty string. */
    static Decoder<String> nonEmptyString() {
        Decoder<String> s = string();
        return node -> {
            String v = s.decode(node);
            if (v.isEmpty()) {
                throw new BadValue("must not be empty");
            }
            return v;
        };
    }

    /** An absolute URL path such as {@code /connection/uni_sse}. */
    static Decoder<String> path() {
        Decoder<String> s = string();
        return node -> {
            String v = s.decode(node);
            if (!v.startsWith("/") || v.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
                throw new BadValue("expected a path starting with '/', got " + show(node));
            }
            return v;
        };
    }

    /** One of {@code allowed}, compared case-insensitively, returned lower case. */
    static Decoder<String> oneOf(List<String> allowed) {
        Decoder<String> s = string();
        return node -> {
            String v = s.decode(node).trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new BadValue("expected one of " + String.join(", ", allowed) + ", got " + show(node));
            }
            return v;
        };
    }

    /**
     * A Go duration string ({@code "25s"}, {@code "1h30m"}) of at least {@code min}. A bare {@code 0} is zero;
     * any other bare number is rejected: Centrifugo v6 would read it as nanoseconds, which is never what a
     * config author means.
     */
    static Decoder<Duration> duration(Duration min) {
        return node -> {
            Duration d;
            if (node.isTextual()) {
                try {
                    d = GoDuration.parse(node.textValue().trim());
                } catch (IllegalArgumentException e) {
                    throw new BadValue("expected a duration such as \"25s\", \"300ms\" or \"1h30m\", got "
                            + show(node));
                }
            } else if (node.isNumber() && node.asDouble() == 0) {
                d = Duration.ZERO;
            } else if (node.isNumber()) {
                throw new BadValue("expected a duration string with a unit such as \"" + node.asText()
                        + "s\", got the bare number " + node.asText()
                        + " (Centrifugo v6 would read it as nanoseconds)");
            } else {
                throw expected("duration (e.g. \"25s\")", node);
            }
            if (d.compareTo(min) < 0) {
                throw new BadValue(min.isZero() ? "must not be negative, got " + show(node)
                        : "must be at least " + GoDuration.format(min) + ", got " + show(node));
            }
            return d;
        };
    }

    /** A list of strings; text is split on whitespace and commas (environment variables). */
    static Decoder<List<String>> stringList() {
        return node -> {
            List<String> out = new ArrayList<>();
            if (node.isArray()) {
                for (JsonNode item : node) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new BadValue("expected a list of strings, found " + show(item) + " in it");
                    }
                    out.add(item.asText());
                }
                return List.copyOf(out);
            }
            if (node.isTextual()) {
                for (String part : node.textValue().split("[\\s,]+")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
                return List.copyOf(out);
            }
            throw expected("list of strings", node);
        };
    }

    /** A regular expression (Java syntax, which agrees with Go's RE2 for ordinary patterns); "" = none. */
    static Decoder<Pattern> regex() {
        Decoder<String> s = string();
        return node -> {
            String v = s.decode(node);
            if (v.isEmpty()) {
                return null;
            }
            try {
                return Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                throw new BadValue("invalid regular expression " + show(node) + ": " + e.getDescription()
                        + " near index " + e.getIndex());
            }
        };
    }

    /**
     * One value of a section read leniently: {@code absent} when missing or null; a bad value is reported at
     * {@code key} and read as {@code absent}, so the rest of the section is still checked.
     */
    static <T> T decodeOr(JsonNode node, String key, Decoder<T> decoder, T absent, ConfigReport report) {
        if (node == null || node.isNull()) {
            return absent;
        }
        try {
            return decoder.decode(node);
        } catch (BadValue e) {
            report.error(key, e.getMessage());
            return absent;
        }
    }

    /** {@link #decodeOr} for the field {@code name} of {@code object}, reported at {@code path.name}. */
    static <T> T fieldOr(JsonNode object, String name, String path, Decoder<T> decoder, T absent,
                         ConfigReport report) {
        return decodeOr(object.get(name), path + "." + name, decoder, absent, report);
    }

    /** A switch read with {@link #decodeOr}: off when missing, null or bad. */
    static boolean flag(JsonNode node, String key, ConfigReport report) {
        return decodeOr(node, key, bool(), false, report);
    }

    /** Text as a node, the form environment variables and overrides take before decoding. */
    static JsonNode textNode(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
    }

    /** Whether a value is "nothing": absent, null, false, 0, "", empty list or an object of such values. */
    static boolean isEmptyish(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return true;
        }
        if (node.isBoolean()) {
            return !node.booleanValue();
        }
        if (node.isNumber()) {
            return node.asDouble() == 0;
        }
        if (node.isTextual()) {
            String t = node.textValue().trim();
            return t.isEmpty() || t.equals("0") || t.equalsIgnoreCase("false") || t.equals("f") || t.equals("F")
                    || t.equals("[]") || t.equals("{}");
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (!isEmptyish(child)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Whether a value reads as {@code true} (boolean or Go boolean text). */
    static boolean isTrue(JsonNode node) {
        try {
            return node != null && !node.isNull() && !node.isMissingNode() && bool().decode(node);
        } catch (BadValue e) {
            return false;
        }
    }

    /** How a value is quoted in messages: strings in double quotes, lists and objects by kind. */
    static String show(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isTextual()) {
            return '"' + node.textValue() + '"';
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.asText();
    }

    private static long wholeNumber(JsonNode node, String what) throws BadValue {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new BadValue("number too large: " + node.asText());
            }
            return node.longValue();
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
            throw expected(what, node);
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw expected(what, node);
            }
        }
        throw expected(what, node);
    }

    private static String range(int min, int max, int unbounded) {
        return max == unbounded ? "must be at least " + min : "must be between " + min + " and " + max;
    }

    private static BadValue expected(String what, JsonNode node) {
        return new BadValue("expected " + what + ", got " + show(node));
    }
}
