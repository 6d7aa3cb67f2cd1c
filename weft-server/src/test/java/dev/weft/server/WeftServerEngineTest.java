package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server with the real engine and in-memory broker: the client protocol flow over WebSocket, the
 * server API feeding subscribers, shutdown and slow-consumer disconnects.
 */
class WeftServerEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "engine-test-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private WeftServer start(long queueMaxSize) {
        ClientOptions client = ClientOptions.builder().insecure(true).queueMaxSize(queueMaxSize).build();
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(KEY, false));
        server = WeftServer.start(config);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private HttpResponse<String> publish(String channel, String dataJson) throws Exception {
        String body = "{\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/publish"))
                .header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Next message that is a reply to {@code id} (skipping pings and pushes). */
    private static JsonNode reply(TestWebSocket ws, int id) throws Exception {
        while (true) {
            for (String line : ws.next().split("\n")) {
                JsonNode node = JSON.readTree(line);
                if (node.path("id").asInt() == id) {
                    return node;
                }
            }
        }
    }

    /** Next push for {@code channel} (skipping pings and replies). */
    private static JsonNode push(TestWebSocket ws, String channel) throws Exception {
        while (true) {
            for (String line : ws.next().split("\n")) {
                JsonNode node = JSON.readTree(line);
                if (node.has("push") && channel.equals(node.path("push").path("channel").asText())) {
                    return node.path("push");
                }
            }
        }
    }

    private static void connectAndSubscribe(TestWebSocket ws, String channel) throws Exception {
        ws.send("{\"id\":1,\"connect\":{}}");
        JsonNode connected = reply(ws, 1);
        assertThat(connected.has("error")).as("connect: %s", connected).isFalse();
        assertThat(connected.path("connect").path("client").asText()).isNotEmpty();
        ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        JsonNode subscribed = reply(ws, 2);
        assertThat(subscribed.has("error")).as("subscribe: %s", subscribed).isFalse();
    }

    @Test
    void jsonClientReceivesWhatTheApiPublishes() throws Exception {
        start(1024 * 1024);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            connectAndSubscribe(ws, "news");
            HttpResponse<String> published = publish("news", "{\"text\":\"hello\"}");
            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(published.body()).has("result")).as(published.body()).isTrue();
            JsonNode push = push(ws, "news");
            assertThat(push.path("pub").path("data")).isEqualTo(JSON.readTree("{\"text\":\"hello\"}"));
        }
    }

    @Test
    void apiReportsUnknownNamespaceInTheBody() throws Exception {
        start(1024 * 1024);
        HttpResponse<String> response = publish("nosuchnamespace:chan", "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asInt()).isEqualTo(102);
    }

    @Test
    void protobufClientSelectedBySubprotocolGetsABinaryConnectReply() throws Exception {
        start(1024 * 1024);
        try (TestWebSocket ws = TestWebSocket.connectProtobuf(server.port())) {
            // varint length 4, then Command{id: 1 (field 1), connect: {} (field 4)}
            ws.sendBinary(new byte[] {4, 0x08, 0x01, 0x22, 0x00});
            byte[] reply = ws.nextBinary();
            // varint length, then Reply{id: 1 (field 1), connect (field 5) ...}
            int start = 1;
            while ((reply[start - 1] & 0x80) != 0) {
                start++;
            }
            assertThat(reply[start]).isEqualTo((byte) 0x08);
            assertThat(reply[start + 1]).isEqualTo((byte) 0x01);
            assertThat(reply[start + 2]).isEqualTo((byte) 0x2a);
        }
    }

    @Test
    void shutdownDisconnectsClientsWith3001() throws Exception {
        start(1024 * 1024);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            connectAndSubscribe(ws, "news");
            server.close(Duration.ofSeconds(2));
            TestWebSocket.Close close = ws.awaitClose();
            assertThat(close.code()).isEqualTo(3001);
            assertThat(close.reason()).isEqualTo("shutdown");
        }
    }

    @Test
    void subscriberThatStopsReadingIsDisconnectedWith3008WhileOthersKeepReceiving() throws Exception {
        start(64 * 1024);
        String data = "\"" + "x".repeat(16 * 1024) + "\"";
        try (TestWebSocket fast = TestWebSocket.connect(server.port());
             RawWebSocket slow = new RawWebSocket(server.port(), "/connection/websocket")) {
            connectAndSubscribe(fast, "feed");
            slow.sendText("{\"id\":1,\"connect\":{}}");
            slow.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"feed\"}}");
            int replies = 0;
            while (replies < 2) {
                String frame = slow.readFrame().text();
                for (String line : frame.split("\n")) {
                    if (JSON.readTree(line).has("id")) {
                        replies++;
                    }
                }
            }
            // From here on `slow` reads nothing. Publish more than its socket buffers and queue can hold,
            // at the pace the reading client consumes.
            for (int i = 0; i < 600; i++) {
                server.node().publish("feed", data.getBytes(StandardCharsets.UTF_8), "", Map.of());
                assertThat(push(fast, "feed").path("pub").path("data").asText()).hasSize(16 * 1024);
            }
            RawWebSocket.Frame close = slow.readUntilClose();
            assertThat(close.closeCode()).isEqualTo(3008);
            assertThat(close.closeReason()).isEqualTo("slow");
        }
    }
}
