package dev.weft.core.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one JSON object as the raw bytes of their values, so payloads a backend answers with
 * ({@code data}, {@code info}, {@code meta}) reach clients byte for byte, never re-serialised; plus typed
 * reads of the small fields. A field set to {@code null} counts as absent (proto3 JSON). Stateless.
 */
final class JsonFields {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();

    private JsonFields() {
    }

    /** The object's fields; an {@link IOException} when {@code json} is not one JSON object. */
    static Map<String, byte[]> of(byte[] json) throws IOException {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (value.isStructStart()) {
                    p.skipChildren();
                } else {
                    p.finishToken();
                }
                int end = (int) p.currentLocation().getByteOffset();
                if (value != JsonToken.VALUE_NULL) {
                    fields.put(name, Arrays.copyOfRange(json, start, end));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("unexpected data after the JSON object");
            }
        }
        return fields;
    }

    static boolean isObject(byte[] raw) {
        return raw != null && firstByte(raw) == '{';
    }

    static String text(Map<String, byte[]> fields, String name) throws IOException {
        byte[] raw = fields.get(name);
        if (raw == null) {
            return "";
        }
        JsonNode n = TREE.readTree(raw);
        if (!n.isTextual()) {
            throw new IOException(name + " is not a string");
        }
        return n.textValue();
    }

    static long number(Map<String, byte[]> fields, String name) throws IOException {
        byte[] raw = fields.get(name);
        if (raw == null) {
            return 0;
        }
        JsonNode n = TREE.readTree(raw);
        // proto3 JSON writes 64-bit integers as strings
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.textValue());
            } catch (NumberFormatException e) {
                throw new IOException(name + " is not a number");
            }
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IOException(name + " is not a whole number");
        }
        return n.longValue();
    }

    static boolean flag(Map<String, byte[]> fields, String name) throws IOException {
        byte[] raw = fields.get(name);
        if (raw == null) {
            return false;
        }
        JsonNode n = TREE.readTree(raw);
        if (!n.isBoolean()) {
            throw new IOException(name + " is not a boolean");
        }
        return n.booleanValue();
    }

    static List<String> strings(Map<String, byte[]> fields, String name) throws IOException {
        byte[] raw = fields.get(name);
        if (raw == null) {
            return List.of();
        }
        JsonNode n = TREE.readTree(raw);
        if (!n.isArray()) {
            throw new IOException(name + " is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw new IOException(name + " has an entry that is not a string");
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** {@code b64<name>} decoded when present and not empty, else the raw JSON of {@code name}; null when neither. */
    static byte[] payload(Map<String, byte[]> fields, String name) throws IOException {
        String b64 = text(fields, "b64" + name);
        if (!b64.isEmpty()) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new IOException("b64" + name + " is not base64");
            }
        }
        return fields.get(name);
    }

    /** Whether {@code bytes} are one JSON value (checked with the streaming parser, nothing built). */
    static boolean isJson(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static int firstByte(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return -1;
    }
}
