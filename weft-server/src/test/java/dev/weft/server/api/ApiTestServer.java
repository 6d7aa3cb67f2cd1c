package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.TestWebSocket;
import dev.weft.server.WeftServer;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Weft on an ephemeral port with the server API on, and the two kinds of client the API is about: an
 * HTTP backend (JDK HttpClient) and WebSocket connections speaking client protocol v2 as a known user.
 * Channels without namespace keep presence, join/leave and 100 publications of history; namespace
 * {@code plain} keeps nothing.
 */
final class ApiTestServer implements AutoCloseable {
    static final String KEY = "api-test-key";
    static final String SECRET = "api-test-secret-that-is-long-enough-for-hs256";
    static final ObjectMapper JSON = new ObjectMapper();

    final WeftServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApiTestServer(HttpApiConfig api) {
        ChannelOptions kept = ChannelOptions.builder().presence(true).joinLeave(true).historySize(100)
                .historyTtl(Duration.ofMinutes(5)).allowSubscribeForClient(true).build();
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(kept,
                List.of(new Namespace("plain", ChannelOptions.builder().allowSubscribeForClient(true).build())));
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(SECRET).build();
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client).withChannels(channels))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(api);
        this.server = WeftServer.start(config);
    }

    static ApiTestServer withKey() {
        return new ApiTestServer(new HttpApiConfig(KEY, false));
    }

    static ApiTestServer with(HttpApiConfig api) {
        return new ApiTestServer(api);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** POSTs {@code body} to {@code path} with the given header pairs. */
    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Calls a method with the key; asserts HTTP 200 and returns the whole answer. */
    JsonNode call(String method, String body) throws Exception {
        HttpResponse<String> response = post("/api/" + method, body, "X-API-Key", KEY);
        assertThat(response.statusCode()).as("%s %s → %s", method, body, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Calls a method; asserts it succeeded and returns {@code result}. */
    JsonNode result(String method, String body) throws Exception {
        JsonNode answer = call(method, body);
        assertThat(answer.has("error")).as("%s %s → %s", method, body, answer).isFalse();
        assertThat(answer.has("result")).as("%s %s → %s", method, body, answer).isTrue();
        return answer.get("result");
    }

    /** Calls a method; asserts it failed and returns {@code error}. */
    JsonNode error(String method, String body) throws Exception {
        JsonNode answer = call(method, body);
        assertThat(answer.has("error")).as("%s %s → %s", method, body, answer).isTrue();
        return answer.get("error");
    }

    /** A connected WebSocket client of {@code user} (connection token signed with {@link #SECRET}). */
    Client connect(String user) throws Exception {
        TestWebSocket ws = TestWebSocket.connect(server.port());
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token(user) + "\"}}");
        JsonNode reply = Client.reply(ws, 1);
        assertThat(reply.has("error")).as("connect: %s", reply).isFalse();
        return new Client(ws, reply.path("connect").path("client").asText());
    }

    static String token(String user) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject(user).build());
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.close(Duration.ofSeconds(2));
    }

    /** A client protocol v2 connection: send commands, wait for replies and pushes. */
    record Client(TestWebSocket ws, String clientId) implements AutoCloseable {

        void subscribe(int id, String channel) throws Exception {
            ws.send("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + channel + "\"}}");
            JsonNode reply = reply(ws, id);
            assertThat(reply.has("error")).as("subscribe: %s", reply).isFalse();
        }

        /** The next push of {@code type} ({@code pub}, {@code subscribe}, …) for {@code channel}. */
        JsonNode push(String channel, String type) throws Exception {
            while (true) {
                for (String line : ws.next().split("\n")) {
                    JsonNode node = JSON.readTree(line);
                    JsonNode push = node.path("push");
                    if (push.has(type) && channel.equals(push.path("channel").asText())) {
                        return push.get(type);
                    }
                }
            }
        }

        static JsonNode reply(TestWebSocket ws, int id) throws Exception {
            while (true) {
                for (String line : ws.next().split("\n")) {
                    JsonNode node = JSON.readTree(line);
                    if (node.path("id").asInt() == id) {
                        return node;
                    }
                }
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
