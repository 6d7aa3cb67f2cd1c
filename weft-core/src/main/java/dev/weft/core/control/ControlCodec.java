package dev.weft.core.control;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@link ControlMessage}s as JSON. Fields a newer node adds are ignored, so nodes of neighbouring versions can
 * share a cluster; a message whose {@code type} this version does not know is dropped by {@link Cluster} with
 * a log line. Durations travel as milliseconds, byte arrays as base64. Thread-safe.
 */
public final class ControlCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule()
                    .addSerializer(Duration.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Duration d, JsonGenerator gen, SerializerProvider p) throws IOException {
                            gen.writeNumber(d.toMillis());
                        }
                    })
                    .addDeserializer(Duration.class, new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return Duration.ofMillis(p.getLongValue());
                        }
                    }));

    private ControlCodec() {
    }

    public static byte[] encode(ControlMessage message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a control message */
    public static ControlMessage decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ControlMessage.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a control message: " + e.getMessage(), e);
        }
    }
}
