package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.Map;

/**
 * Writes protocol fields with proto3 "omit empty" rules: {@code false}, 0, {@code ""}, empty maps and
 * {@code null}/empty payloads are left out. Payload fields ({@code data}, {@code conn_info},
 * {@code chan_info}) are raw JSON and are copied verbatim (see {@link #raw}). Stateless.
 */
final class JsonOutput {
    private JsonOutput() {
    }

    static void string(JsonGenerator out, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            out.writeStringField(name, value);
        }
    }

    static void bool(JsonGenerator out, String name, boolean value) throws IOException {
        if (value) {
            out.writeBooleanField(name, true);
        }
    }

    /** A uint32 held in an {@code int}: negative values are the upper half of the unsigned range. */
    static void uint32(JsonGenerator out, String name, int value) throws IOException {
        if (value != 0) {
            out.writeFieldName(name);
            out.writeNumber(Integer.toUnsignedLong(value));
        }
    }

    static void int32(JsonGenerator out, String name, int value) throws IOException {
        if (value != 0) {
            out.writeFieldName(name);
            out.writeNumber(value);
        }
    }

    /** A uint64 held in a {@code long}, written as a JSON number (never a string, unlike canonical proto3 JSON). */
    static void uint64(JsonGenerator out, String name, long value) throws IOException {
        if (value != 0) {
            out.writeFieldName(name);
            if (value > 0) {
                out.writeNumber(value);
            } else {
                out.writeNumber(Long.toUnsignedString(value));
            }
        }
    }

    static void int64(JsonGenerator out, String name, long value) throws IOException {
        if (value != 0) {
            out.writeFieldName(name);
            out.writeNumber(value);
        }
    }

    /**
     * Payload bytes that already are JSON text; written as they are, except that raw CR and LF bytes become
     * spaces. In valid JSON those bytes can only be whitespace between tokens (inside strings they must be
     * escaped), so the value is unchanged, and a pretty-printed payload cannot break newline framing.
     */
    static void raw(JsonGenerator out, String name, byte[] json) throws IOException {
        if (json != null && json.length > 0) {
            out.writeFieldName(name);
            out.writeRawValue(new RawJson(withoutLineBreaks(json)));
        }
    }

    /** {@code json} itself when it has no CR/LF (the usual case, no copy), else a copy with spaces for them. */
    static byte[] withoutLineBreaks(byte[] json) {
        byte[] copy = null;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (b == '\n' || b == '\r') {
                if (copy == null) {
                    copy = json.clone();
                }
                copy[i] = ' ';
            }
        }
        return copy == null ? json : copy;
    }

    static void stringMap(JsonGenerator out, String name, Map<String, String> map) throws IOException {
        if (!map.isEmpty()) {
            out.writeObjectFieldStart(name);
            for (Map.Entry<String, String> entry : map.entrySet()) {
                out.writeStringField(entry.getKey(), entry.getValue());
            }
            out.writeEndObject();
        }
    }
}
