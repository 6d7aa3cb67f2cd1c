package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

/** The message of an upstream error object, as OpenAI and Anthropic shape it. Stateless. */
public final class Errors {
    private Errors() {
    }

    /**
     * What an error answer's body says: the message of its {@code error} object ({@code {"error": {...}}}, as
     * OpenAI and Anthropic answer) or of itself, else its text; clipped.
     */
    public static String ofBody(byte[] body) {
        JsonNode json = EventJson.value(body);
        if (json != null && json.isObject()) {
            JsonNode error = json.get("error");
            return message(error != null && !error.isNull() ? error : json);
        }
        String text = Texts.clip(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        return text.isEmpty() ? "(no body)" : text;
    }

    /**
     * {@code type}/{@code code} and {@code message} of {@code {"type": …, "code": …, "message": …}}, clipped; the
     * object's JSON when it has no message.
     */
    static String message(JsonNode error) {
        if (error.isTextual()) {
            return Texts.clip(error.textValue());
        }
        String message = EventJson.text(error, "message");
        if (message == null) {
            return Texts.clip(error.toString());
        }
        String kind = EventJson.text(error, "code");
        kind = kind != null ? kind : EventJson.text(error, "type");
        return Texts.clip(kind == null ? message : kind + ": " + message);
    }
}
