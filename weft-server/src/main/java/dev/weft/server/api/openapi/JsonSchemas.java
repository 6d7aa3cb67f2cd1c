package dev.weft.server.api.openapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.api.model.Doc;
import dev.weft.server.api.model.JsonPayload;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (the OpenAPI 3.0 dialect) of the API's records, read off the records themselves: field names
 * through the same snake_case strategy the API's mapper uses, types from the component types, descriptions
 * from {@link Doc}. A field is required when its {@code @Doc} says so (requests) or when it is always written
 * ({@code @JsonInclude(ALWAYS)}, results). Not thread-safe: one instance builds one document.
 */
final class JsonSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final PropertyNamingStrategies.NamingBase NAMES =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final Map<String, ObjectNode> components = new TreeMap<>();

    /** Every schema registered so far, by name. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /** Registers a schema built by hand (envelopes, batch commands); returns a reference to it. */
    ObjectNode define(String name, ObjectNode schema) {
        components.putIfAbsent(name, schema);
        return ref(name);
    }

    /** A schema for {@code type}: inline for scalars and containers, a reference for records. */
    ObjectNode schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "array").set("items", schemaOf(args[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return F.objectNode().put("type", "object").set("additionalProperties", schemaOf(args[1]));
            }
            throw new IllegalArgumentException("no schema for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c == int.class || c == Integer.class) {
            return F.objectNode().put("type", "integer").put("format", "int32");
        }
        if (c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer").put("format", "int64");
        }
        if (c == ObjectNode.class) {
            return F.objectNode().put("type", "object");
        }
        if (JsonNode.class.isAssignableFrom(c) || c == JsonPayload.class) {
            return F.objectNode().put("description", "Any JSON value.");
        }
        if (c.isRecord()) {
            return recordRef(c);
        }
        throw new IllegalArgumentException("no schema for " + type);
    }

    private ObjectNode recordRef(Class<?> record) {
        String name = record.getSimpleName();
        if (!components.containsKey(name)) {
            ObjectNode schema = F.objectNode().put("type", "object");
            components.put(name, schema); // before the fields: records may refer to themselves
            Doc typeDoc = record.getAnnotation(Doc.class);
            if (typeDoc != null) {
                schema.put("description", typeDoc.value());
            }
            ObjectNode properties = schema.putObject("properties");
            ArrayNode required = F.arrayNode();
            for (RecordComponent rc : record.getRecordComponents()) {
                String field = NAMES.translate(rc.getName());
                ObjectNode property = schemaOf(rc.getGenericType());
                Doc doc = rc.getAnnotation(Doc.class);
                if (doc != null) {
                    property = describe(property, doc.value());
                }
                properties.set(field, property);
                if ((doc != null && doc.required()) || alwaysWritten(rc)) {
                    required.add(field);
                }
            }
            if (!required.isEmpty()) {
                schema.set("required", required);
            }
            schema.put("additionalProperties", false);
        }
        return ref(name);
    }

    private static boolean alwaysWritten(RecordComponent rc) {
        JsonInclude include = rc.getAnnotation(JsonInclude.class);
        if (include == null) {
            try {
                include = rc.getAccessor().getAnnotation(JsonInclude.class);
            } catch (SecurityException e) {
                return false;
            }
        }
        return include != null && include.value() == JsonInclude.Include.ALWAYS;
    }

    /** OpenAPI 3.0 ignores siblings of {@code $ref}, so a described reference is wrapped in {@code allOf}. */
    private static ObjectNode describe(ObjectNode schema, String description) {
        if (schema.has("$ref")) {
            ObjectNode wrapped = F.objectNode().put("description", description);
            wrapped.putArray("allOf").add(schema);
            return wrapped;
        }
        return schema.put("description", description);
    }

    static ObjectNode ref(String name) {
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }
}
