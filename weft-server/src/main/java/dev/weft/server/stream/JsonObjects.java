package dev.weft.server.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The small JSON objects the streams write themselves (event payloads, UI parts, status answers), with Jackson's
 * streaming generator: no tree, no mapper. Stateless, thread-safe.
 */
public final class JsonObjects {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonObjects() {
    }

    /** Writes one JSON object's fields. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** The bytes of one JSON object. */
    public static byte[] object(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
