package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads the JSON of upstream events; a value must be whole (nothing after it). Stateless. */
final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EventJson() {
    }

    /** Parses an event's data as a JSON object. */
    static JsonNode object(UpstreamEvent event) throws MalformedUpstreamException {
        try {
            JsonNode node = JSON.readTree(event.data());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new MalformedUpstreamException("upstream sent an event that is not a JSON object: "
                + Texts.clip(new String(event.data(), StandardCharsets.UTF_8)));
    }

    /** Parses data as any JSON value; null when it is not JSON. */
    static JsonNode value(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            return null;
        }
    }

    /** The text of a string field, or null when absent or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** Parses JSON text; throws when it is not exactly one JSON value. */
    static JsonNode parse(String json) throws JsonProcessingException {
        return JSON.readTree(json);
    }
}
