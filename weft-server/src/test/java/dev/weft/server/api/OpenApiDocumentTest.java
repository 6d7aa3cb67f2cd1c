package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.ServerPaths;
import dev.weft.server.api.openapi.OpenApiDocument;
import dev.weft.server.docs.DocsApiEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.weft.server.api.ApiTestServer.JSON;
import static dev.weft.server.api.ApiTestServer.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document served at {@code /api/openapi.json} against the real handlers of a running server:
 * documented and served methods are the same set, and every documented example gets a successful answer that
 * matches the documented response schema.
 */
class OpenApiDocumentTest {
    private static ApiTestServer api;
    private static JsonNode document;

    @BeforeAll
    static void fetch() throws Exception {
        api = ApiTestServer.withKey();
        HttpResponse<String> response = api.get(OpenApiDocument.PATH);
        assertThat(response.statusCode()).as("served without a key").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        document = JSON.readTree(response.body());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Set<String> documentedPaths() {
        Set<String> paths = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    @Test
    void isOpenApi3WithTheKeySchemes() {
        assertThat(document.path("openapi").asText()).startsWith("3.0");
        assertThat(document.path("components").path("securitySchemes").path("ApiKeyHeader").path("name").asText())
                .isEqualTo("X-API-Key");
        assertThat(document.path("security")).hasSize(3);
    }

    @Test
    void everyServedMethodIsDocumentedAndEveryDocumentedMethodIsServed() throws Exception {
        Set<String> served = new TreeSet<>();
        for (String path : ServerPaths.of(api.server)) {
            // /api/docs/<room> is a binary API (Yjs updates), documented in docs/protocol.md, not a method;
            // /api/streams[/<id>/<verb>] are the stream_* methods at resource paths (same records, same answers).
            if (path.startsWith("/api/") && !path.equals(OpenApiDocument.PATH)
                    && !path.equals(DocsApiEndpoint.PREFIX) && !path.startsWith(StreamRoutes.PATH)) {
                served.add(path);
            }
        }
        assertThat(documentedPaths()).isEqualTo(served);
        assertThat(served).contains("/api/publish", "/api/broadcast", "/api/subscribe", "/api/unsubscribe",
                "/api/disconnect", "/api/refresh", "/api/presence", "/api/presence_stats", "/api/history",
                "/api/history_remove", "/api/channels", "/api/info", "/api/batch", "/api/revoke_token",
                "/api/invalidate_user_tokens");
        // And each documented path really dispatches: with no key it is refused (401; 429 once this address has
        // sent more wrong keys than ApiKeyGuard allows), not unknown (404).
        for (String path : documentedPaths()) {
            assertThat(api.post(path, "{}").statusCode()).as(path).isIn(401, 429);
        }
        // Every batch command the document lists is a documented method.
        Set<String> commands = new TreeSet<>();
        document.path("components").path("schemas").path("Command").path("properties").fieldNames()
                .forEachRemaining(c -> commands.add("/api/" + c));
        Set<String> expected = new TreeSet<>(documentedPaths());
        expected.remove("/api/batch");
        assertThat(commands).isEqualTo(expected);
    }

    @Test
    void everyExampleGetsASuccessfulAnswerMatchingTheDocumentedSchema() throws Exception {
        SchemaValidator validator = new SchemaValidator(document);
        List<String> problems = new ArrayList<>();
        try (var bob = api.connect("42")) {
            bob.subscribe(2, "news");
            for (Map.Entry<String, JsonNode> path : iterable(document.path("paths"))) {
                JsonNode post = path.getValue().path("post");
                JsonNode json = post.path("requestBody").path("content").path("application/json");
                JsonNode example = json.path("example");
                assertThat(example.isObject()).as("%s has an example", path.getKey()).isTrue();
                problems.addAll(prefixed(path.getKey() + " example", validator.validate(example, json.path("schema"))));

                HttpResponse<String> response = api.post(path.getKey(), example.toString(), "X-API-Key", KEY);
                assertThat(response.statusCode()).as("%s %s → %s", path.getKey(), example, response.body())
                        .isEqualTo(200);
                JsonNode answer = JSON.readTree(response.body());
                assertThat(answer.has("error")).as("%s %s → %s", path.getKey(), example, answer).isFalse();
                answer.path("replies").forEach(reply -> assertThat(reply.has("error"))
                        .as("%s reply %s", path.getKey(), reply).isFalse());
                JsonNode schema = post.path("responses").path("200").path("content").path("application/json")
                        .path("schema");
                problems.addAll(prefixed(path.getKey() + " answer " + answer, validator.validate(answer, schema)));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theValidatorCatchesAnswersThatStrayFromTheSchema() throws Exception {
        SchemaValidator validator = new SchemaValidator(document);
        JsonNode schema = document.path("paths").path("/api/presence_stats").path("post").path("responses")
                .path("200").path("content").path("application/json").path("schema");
        assertThat(validator.validate(JSON.readTree("{\"result\":{\"num_clients\":1,\"num_users\":1}}"), schema))
                .isEmpty();
        assertThat(validator.validate(JSON.readTree("{\"result\":{\"num_clients\":1}}"), schema)).isNotEmpty();
        assertThat(validator.validate(JSON.readTree("{\"result\":{\"num_clients\":1,\"num_users\":1,\"x\":1}}"),
                schema)).isNotEmpty();
        assertThat(validator.validate(JSON.readTree("{\"result\":{\"num_clients\":\"1\",\"num_users\":1}}"), schema))
                .isNotEmpty();
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }

    private static List<String> prefixed(String prefix, List<String> problems) {
        return problems.stream().map(p -> prefix + ": " + p).toList();
    }
}
