package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Typed reads of protocol fields from one JSON object (one line of a frame), on top of a Jackson
 * streaming parser. Applies the protocol's JSON rules in one place: strict value types, {@code null} as
 * "field absent" (proto3 JSON), unsigned 32/64-bit numbers, and raw JSON capture for payload fields.
 *
 * <p>Usage: after {@link #nextField()} returns a name, call exactly one value method ({@link #string},
 * {@link #object}, {@link #skipValue}, …) for that field.
 *
 * <p>Not thread-safe: one instance reads one line on one thread.
 */
final class JsonInput {
    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private final JsonParser parser;
    private final byte[] source;
    private final int sourceOffset;

    /**
     * @param parser       a parser over {@code source[sourceOffset..]}; byte offsets it reports are relative to
     *                     {@code sourceOffset}
     */
    JsonInput(JsonParser parser, byte[] source, int sourceOffset) {
        this.parser = parser;
        this.source = source;
        this.sourceOffset = sourceOffset;
    }

    /** Reads the opening brace of the root value; anything else is rejected. */
    void beginRootObject(String what) throws IOException, ProtocolDecodeException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new ProtocolDecodeException(what + " is not a JSON object");
        }
    }

    /** Rejects anything but whitespace after the root object. */
    void endRoot(String what) throws IOException, ProtocolDecodeException {
        if (parser.nextToken() != null) {
            throw new ProtocolDecodeException("unexpected data after the " + what + " object");
        }
    }

    /** The next field name of the current object, or {@code null} at its end. */
    String nextField() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.FIELD_NAME) {
            return parser.currentName();
        }
        // The only other token the parser can return inside an object is END_OBJECT.
        return null;
    }

    /**
     * Reads the value of {@code field} as the start of a nested message: {@code true} when it is an object
     * (read its fields next, until {@link #nextField()} returns {@code null}), {@code false} when it is
     * {@code null} (the field is absent).
     */
    boolean object(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_OBJECT) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        throw typeError(field, "an object");
    }

    /** Reads the value of {@code field} as the start of an array: {@code true} for an array, {@code false} for null. */
    boolean array(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_ARRAY) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        throw typeError(field, "an array");
    }

    /** Inside an array: the next element, which must be a string, or null at the array's end. */
    String nextStringElement(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return null;
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        throw typeError(field, "a string element");
    }

    /** Inside an array: {@code true} if the next element is an object (now open), {@code false} at the array's end. */
    boolean nextObjectElement(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        if (token == JsonToken.START_OBJECT) {
            return true;
        }
        throw typeError(field, "an array of objects");
    }

    String string(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return "";
        }
        throw typeError(field, "a string");
    }

    boolean bool(String field) throws IOException, ProtocolDecodeException {
        return switch (parser.nextToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> throw typeError(field, "a boolean");
        };
    }

    /** A uint32: an integer in [0, 2^32-1], returned as its two's-complement {@code int}. */
    int uint32(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        return strictUint32(token, field);
    }

    /** A uint32 that may not be {@code null} (the command/reply id). */
    int requiredUint32(String field) throws IOException, ProtocolDecodeException {
        return strictUint32(parser.nextToken(), field);
    }

    private int strictUint32(JsonToken token, String field) throws IOException, ProtocolDecodeException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long value = parser.getLongValue();
            if (value >= 0 && value <= UINT32_MAX) {
                return (int) value;
            }
        }
        throw typeError(field, "an integer in [0, 4294967295]");
    }

    int int32(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        }
        throw typeError(field, "an integer in [-2147483648, 2147483647]");
    }

    /** A uint64: a number (or, as proto3 JSON allows, a decimal string) in [0, 2^64-1], two's complement. */
    long uint64(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger value = parser.getBigIntegerValue();
                if (value.signum() >= 0 && value.compareTo(UINT64_LIMIT) < 0) {
                    return value.longValue();
                }
            } else {
                long value = parser.getLongValue();
                if (value >= 0) {
                    return value;
                }
            }
        } else if (token == JsonToken.VALUE_STRING) {
            try {
                return Long.parseUnsignedLong(parser.getText());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw typeError(field, "an integer in [0, 18446744073709551615]");
    }

    /** An int64: a number (or a decimal string) that fits a {@code long}. */
    long int64(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw typeError(field, "a 64-bit integer");
    }

    /**
     * The raw UTF-8 JSON text of the value of {@code field}, byte for byte as the peer sent it (a JSON
     * {@code null} is captured as the four bytes {@code null}: for payload fields it is the payload).
     */
    byte[] raw(String field) throws IOException, ProtocolDecodeException {
        JsonToken token = parser.nextToken();
        long start = parser.currentTokenLocation().getByteOffset();
        if (token.isStructStart()) {
            parser.skipChildren();
        } else {
            parser.finishToken();
        }
        long end = parser.currentLocation().getByteOffset();
        if (start < 0 || end <= start || sourceOffset + end > source.length) {
            throw new ProtocolDecodeException("field '" + field + "': cannot locate the raw JSON value");
        }
        return Arrays.copyOfRange(source, sourceOffset + (int) start, sourceOffset + (int) end);
    }

    /** A {@code map<string, string>}: an object whose values are strings. */
    Map<String, String> stringMap(String field) throws IOException, ProtocolDecodeException {
        if (!object(field)) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>();
        for (String key; (key = nextField()) != null; ) {
            map.put(key, string(field));
        }
        return map;
    }

    /** Skips the value of an unknown field, whatever it is. */
    void skipValue() throws IOException {
        parser.nextToken();
        parser.skipChildren();
    }

    /** Skips every remaining field of the current object (a message with no known fields). */
    void skipRemainingFields() throws IOException {
        while (nextField() != null) {
            skipValue();
        }
    }

    private ProtocolDecodeException typeError(String field, String expected) {
        return new ProtocolDecodeException("field '" + field + "': expected " + expected + ", found " + found());
    }

    private String found() {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer out of range";
            case VALUE_NUMBER_FLOAT -> "a non-integer number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }
}
