package dev.weft.server.api.openapi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.api.ApiJson;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.ApiMethods;
import dev.weft.server.api.model.ApiError;

/**
 * The OpenAPI 3.0 document of the server API, generated from the method registry and the request/result
 * records the handlers use, so it cannot drift from what is served: one path per method with its request
 * schema and example, the {@code {"result"|"error"}} envelope, batch commands and replies derived from the
 * registry, and the three ways to present the key.
 */
public final class OpenApiDocument {
    public static final String PATH = "/api/openapi.json";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenApiDocument() {
    }

    public static ObjectNode build(ApiMethods methods, String version) {
        JsonSchemas schemas = new JsonSchemas();
        ObjectNode doc = F.objectNode().put("openapi", "3.0.3");
        doc.putObject("info")
                .put("title", "Weft server API")
                .put("version", version)
                .put("description", "Centrifugo v6 compatible server API. Every method is POST /api/<method> "
                        + "with a JSON body. Errors come back in the body with HTTP 200 "
                        + "({\"error\":{\"code\",\"message\"}}) unless the transport error mode is on "
                        + "(http_api.error_mode, or the X-Centrifugo-Error-Mode: transport header). A body that "
                        + "is not a JSON object of the right shape is HTTP 400, a missing or wrong key 401, a body "
                        + "over 1 MiB 413. This document is served without a key.");
        ArrayNode security = doc.putArray("security");
        security.addObject().putArray("ApiKeyHeader");
        security.addObject().putArray("ApiKeyAuthorization");
        security.addObject().putArray("ApiKeyQuery");

        ObjectNode paths = doc.putObject("paths");
        ObjectNode command = F.objectNode().put("type", "object").put("description",
                "One command of a batch: exactly one of these keys.");
        ObjectNode commandProperties = command.putObject("properties");
        ObjectNode reply = F.objectNode().put("type", "object").put("description",
                "One reply of a batch: the method's result under its name, or error.");
        ObjectNode replyProperties = reply.putObject("properties");
        replyProperties.set("error", schemas.schemaOf(ApiError.class));
        reply.put("additionalProperties", false);

        for (ApiMethod<?, ?> m : methods.all()) {
            ObjectNode request = schemas.schemaOf(m.requestType());
            ObjectNode response;
            if (m.enveloped()) {
                ObjectNode result = schemas.schemaOf(m.resultType());
                commandProperties.set(m.name(), request);
                replyProperties.set(m.name(), result);
                ObjectNode envelope = F.objectNode().put("type", "object")
                        .put("description", "Either error or result.");
                envelope.putObject("properties").<ObjectNode>set("error", schemas.schemaOf(ApiError.class))
                        .set("result", result);
                envelope.put("additionalProperties", false);
                response = schemas.define(pascal(m.name()) + "Response", envelope);
            } else {
                response = schemas.schemaOf(m.resultType());
            }
            paths.set("/api/" + m.name(), F.objectNode().set("post", operation(m, request, response)));
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode componentSchemas = components.putObject("schemas");
        schemas.components().forEach(componentSchemas::set);
        componentSchemas.set("Command", command);
        componentSchemas.set("Reply", reply);
        patchBatch(componentSchemas);
        ObjectNode securitySchemes = components.putObject("securitySchemes");
        securitySchemes.putObject("ApiKeyHeader").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
        securitySchemes.putObject("ApiKeyAuthorization").put("type", "apiKey").put("in", "header")
                .put("name", "Authorization").put("description", "`Authorization: apikey <key>`");
        securitySchemes.putObject("ApiKeyQuery").put("type", "apiKey").put("in", "query").put("name", "api_key")
                .put("description", "Prefer a header: URLs end up in proxy logs.");
        return doc;
    }

    /** Batch's records hold raw objects (decoded per command); their items are really Command and Reply. */
    private static void patchBatch(ObjectNode schemas) {
        ObjectNode request = (ObjectNode) schemas.get("BatchRequest");
        ObjectNode response = (ObjectNode) schemas.get("BatchResponse");
        if (request != null) {
            ((ObjectNode) request.get("properties").get("commands")).set("items", JsonSchemas.ref("Command"));
        }
        if (response != null) {
            ((ObjectNode) response.get("properties").get("replies")).set("items", JsonSchemas.ref("Reply"));
        }
    }

    private static ObjectNode operation(ApiMethod<?, ?> m, ObjectNode request, ObjectNode response) {
        ObjectNode op = F.objectNode().put("operationId", m.name()).put("summary", m.summary());
        ObjectNode json = op.putObject("requestBody").put("required", true).putObject("content")
                .putObject("application/json");
        json.set("schema", request);
        try {
            json.set("example", ApiJson.mapper().readTree(m.example()));
        } catch (JacksonException e) {
            throw new IllegalStateException("example of " + m.name() + " is not JSON", e);
        }
        ObjectNode responses = op.putObject("responses");
        responses.putObject("200").put("description", m.enveloped()
                        ? "The result, or an error in the body" : "One reply per command, in order")
                .putObject("content").putObject("application/json").set("schema", response);
        responses.putObject("400").put("description", "Body is not a JSON object of this request's shape");
        responses.putObject("401").put("description", "Missing or wrong API key");
        responses.putObject("413").put("description", "Body larger than 1 MiB");
        responses.putObject("503").put("description", "Server shutting down");
        return op;
    }

    private static String pascal(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
