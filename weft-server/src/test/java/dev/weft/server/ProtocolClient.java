package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.weft.server.TestServers.json;
import static dev.weft.server.TestServers.lines;
import static org.assertj.core.api.Assertions.assertThat;

/** What the tests of nodes sharing an engine do as a client: the server API and JSON client-protocol commands. */
final class ProtocolClient {
    private ProtocolClient() {
    }

    /** Calls an API method with {@code key}; asserts HTTP 200 and returns the answer. */
    static JsonNode api(HttpClient http, WeftServer server, String key, String method, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/" + method))
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response.body());
    }

    /** {@code GET /ready}: the status code, a space, the body. */
    static String ready(HttpClient http, WeftServer server) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/ready")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** {@code publish} of {@code data} (JSON text) into {@code channel}. */
    static JsonNode publish(HttpClient http, WeftServer server, String key, String channel, String data)
            throws Exception {
        return api(http, server, key, "publish", "{\"channel\":\"" + channel + "\",\"data\":" + data + "}");
    }

    /** Connects without a token and asserts it worked. */
    static void connect(TestWebSocket ws) throws Exception {
        JsonNode connected = request(ws, 1, "{\"id\":1,\"connect\":{}}");
        assertThat(connected.has("error")).as(connected.toString()).isFalse();
    }

    /** Sends a command and returns the reply with its id (skipping pings and pushes). */
    static JsonNode request(TestWebSocket ws, int id, String command) throws Exception {
        ws.send(command);
        while (true) {
            for (JsonNode node : lines(ws.next())) {
                if (node.path("id").asInt() == id) {
                    return node;
                }
            }
        }
    }

    /** The next push for {@code channel} (skipping pings and replies). */
    static JsonNode push(TestWebSocket ws, String channel) throws Exception {
        while (true) {
            for (JsonNode node : lines(ws.next())) {
                if (node.has("push") && channel.equals(node.path("push").path("channel").asText())) {
                    return node.path("push");
                }
            }
        }
    }
}
