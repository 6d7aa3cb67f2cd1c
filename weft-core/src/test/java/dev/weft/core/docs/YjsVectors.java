package dev.weft.core.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * Updates produced by the real {@code yjs} package ({@code updates.mjs} next to {@code updates.json}): two
 * clients editing a text, then a large map value.
 */
public final class YjsVectors {
    private static final JsonNode ROOT = read();

    /** 0: "hello" by client 1; 1: " world" by client 2; 2: client 1 deletes "h"; 3: a 3000-character map value. */
    public static byte[] update(int i) {
        return hex(ROOT.get("updates").get(i).asText());
    }

    /** State vector after updates 0..2. */
    public static byte[] stateAfter3() {
        return hex(ROOT.get("stateAfter3").asText());
    }

    /** State vector after updates 0..3. */
    public static byte[] stateAfter4() {
        return hex(ROOT.get("stateAfter4").asText());
    }

    /** State vector after update 0 alone. */
    public static byte[] stateAfterFirst() {
        return hex(ROOT.get("svAfterFirst").asText());
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static JsonNode read() {
        try (InputStream in = YjsVectors.class.getResourceAsStream("updates.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
