package dev.weft.server.api.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON value of a request or result ({@code data}, {@code info}, {@code conn_info}) kept as the bytes it was
 * written with, as Centrifugo keeps them ({@code json.RawMessage}): {@code 0.12345678901234567890123},
 * {@code 1.10}, {@code 1e2} and any whitespace inside the value reach subscribers unchanged. Read as a slice of
 * the request body, which must be decoded through {@code ApiJson.read} (it hands the body to the reader);
 * written back verbatim. Immutable.
 */
@JsonDeserialize(using = JsonPayload.Reader.class)
@JsonSerialize(using = JsonPayload.Writer.class)
public record JsonPayload(byte[] bytes) {
    /** Deserialization attribute holding the bytes being decoded, so a value can be cut out of them. */
    public static final Object SOURCE = JsonPayload.class;
    private static final JsonPayload NULL = new JsonPayload("null".getBytes(StandardCharsets.US_ASCII));

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonPayload other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static final class Reader extends StdDeserializer<JsonPayload> {
        Reader() {
            super(JsonPayload.class);
        }

        @Override
        public JsonPayload deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!(ctxt.getAttribute(SOURCE) instanceof byte[] source)) {
                throw new IllegalStateException("a JSON payload is read only from bytes given as SOURCE");
            }
            long start = p.currentTokenLocation().getByteOffset();
            JsonToken token = p.currentToken();
            if (token.isStructStart()) {
                p.skipChildren();
            } else {
                p.finishToken(); // a string is otherwise read lazily and the location would stop inside it
            }
            long end = p.currentLocation().getByteOffset();
            return new JsonPayload(Arrays.copyOfRange(source, Math.toIntExact(start), Math.toIntExact(end)));
        }

        /** An explicit {@code null} is the JSON value {@code null}; an absent field stays absent. */
        @Override
        public JsonPayload getNullValue(DeserializationContext ctxt) {
            return NULL;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    static final class Writer extends StdSerializer<JsonPayload> {
        Writer() {
            super(JsonPayload.class);
        }

        @Override
        public void serialize(JsonPayload value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(new String(value.bytes, StandardCharsets.UTF_8));
        }
    }
}
