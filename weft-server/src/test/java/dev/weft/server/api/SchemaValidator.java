package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value against the subset of OpenAPI 3.0 schemas the generated document uses: {@code $ref},
 * {@code allOf}, {@code type} (object, array, string, integer, boolean), {@code properties},
 * {@code required}, {@code additionalProperties} (false or a schema) and {@code items}. A schema without
 * {@code type} accepts anything. Returns the violations with JSON paths; empty means valid.
 */
final class SchemaValidator {
    private final JsonNode document;

    SchemaValidator(JsonNode document) {
        this.document = document;
    }

    List<String> validate(JsonNode value, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        check(value, schema, "$", problems);
        return problems;
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (schema.has("$ref")) {
            check(value, resolve(schema.get("$ref").asText()), path, problems);
            return;
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(s -> check(value, s, path, problems));
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "" -> {
            }
            case "string" -> expect(value.isTextual(), path, "a string", value, problems);
            case "boolean" -> expect(value.isBoolean(), path, "a boolean", value, problems);
            case "integer" -> expect(value.isIntegralNumber(), path, "an integer", value, problems);
            case "array" -> {
                if (expect(value.isArray(), path, "an array", value, problems)) {
                    for (int i = 0; i < value.size(); i++) {
                        check(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
                    }
                }
            }
            case "object" -> {
                if (expect(value.isObject(), path, "an object", value, problems)) {
                    object(value, schema, path, problems);
                }
            }
            default -> problems.add(path + ": schema type " + type + " not understood");
        }
    }

    private void object(JsonNode value, JsonNode schema, String path, List<String> problems) {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(path + ": missing required " + required.asText());
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), at, problems);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, at, problems);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                problems.add(at + ": not in the schema");
            }
        }
    }

    private JsonNode resolve(String ref) {
        JsonNode node = document;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part);
        }
        if (node.isMissingNode()) {
            throw new AssertionError("dangling $ref " + ref);
        }
        return node;
    }

    private static boolean expect(boolean ok, String path, String what, JsonNode value, List<String> problems) {
        if (!ok) {
            problems.add(path + ": expected " + what + ", got " + value);
        }
        return ok;
    }
}
