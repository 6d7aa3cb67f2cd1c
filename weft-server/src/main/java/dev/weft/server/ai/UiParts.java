package dev.weft.server.ai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Set;

import static dev.weft.server.stream.JsonObjects.object;

/**
 * Parts of the AI SDK UI message stream protocol v1 ({@code {"type":"text-delta","id":"t0","delta":"Hel"}}):
 * the ones a stream writes itself, and what it needs to know of the ones it is given (their type). Parts are
 * JSON objects; given parts keep their bytes. Stateless, thread-safe.
 */
public final class UiParts {
    /** Parts only the stream writes: its start and its three possible ends. */
    public static final Set<String> RESERVED = Set.of("start", "finish", "error", "abort");
    /** The {@code finishReason}s the AI SDK accepts; any other upstream reason becomes {@code other}. */
    private static final Set<String> FINISH_REASONS =
            Set.of("stop", "length", "content-filter", "tool-calls", "error", "other");
    private static final JsonFactory JSON = new JsonFactory();

    private UiParts() {
    }

    public static byte[] start(String messageId) {
        return object(g -> {
            g.writeStringField("type", "start");
            g.writeStringField("messageId", messageId);
        });
    }

    /** Text parts come from the relay's writer, the one writer of them (exact escaping, lone surrogates too). */
    public static byte[] textStart(String id) {
        return dev.weft.server.ai.relay.format.UiParts.textStart(id);
    }

    public static byte[] textDelta(String id, String delta) {
        return dev.weft.server.ai.relay.format.UiParts.textDelta(id, delta);
    }

    public static byte[] textEnd(String id) {
        return dev.weft.server.ai.relay.format.UiParts.textEnd(id);
    }

    /** {@code finish}, with the reason when the AI SDK knows it ({@code other} when it does not). */
    public static byte[] finish(String finishReason) {
        return object(g -> {
            g.writeStringField("type", "finish");
            if (finishReason != null && !finishReason.isEmpty()) {
                g.writeStringField("finishReason", FINISH_REASONS.contains(finishReason) ? finishReason : "other");
            }
        });
    }

    public static byte[] error(String errorText) {
        return object(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("errorText", errorText);
        });
    }

    public static byte[] abort(String reason) {
        return object(g -> {
            g.writeStringField("type", "abort");
            g.writeStringField("reason", reason);
        });
    }

    /**
     * The {@code type} of a part, reading no further than needed.
     *
     * @throws IllegalArgumentException when it is not a JSON object with a string {@code type}
     */
    public static String type(byte[] part) {
        try (JsonParser p = JSON.createParser(part)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a part is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type")) {
                    if (value != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                        throw new IllegalArgumentException("a part's type is a non-empty string");
                    }
                    return p.getText();
                }
                p.skipChildren();
            }
            throw new IllegalArgumentException("a part has a type");
        } catch (IOException e) {
            throw new IllegalArgumentException("a part is a JSON object: " + e.getMessage(), e);
        }
    }
}
