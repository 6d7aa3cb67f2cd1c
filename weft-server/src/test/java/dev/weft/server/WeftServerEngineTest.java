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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /**
     * Attack: subscribers that stop reading while a publisher floods their channel, so that the node would
     * buffer the flood for each of them. Defence: once a subscriber's write queue passes
     * {@code client.queue_max_size} it is disconnected with 3008 "slow"; what it held is dropped, so the heap
     * (after GC) ends where it started, and the subscribers that read receive every publication in order.
     */
    @Test
    void subscribersThatStopReadingAreDisconnectedWith3008WhileOthersKeepReceiving() throws Exception {
        int stalled = 8;
        int publications = 600;
        long queueMaxSize = 64 * 1024;
        start(queueMaxSize);
        String data = "\"" + "x".repeat(16 * 1024) + "\"";
        List<RawWebSocket> slow = new ArrayList<>();
        try (TestWebSocket reader = TestWebSocket.connect(server.port());
             TestWebSocket otherReader = TestWebSocket.connect(server.port())) {
            connectAndSubscribe(reader, "feed");
            connectAndSubscribe(otherReader, "feed");
            for (int i = 0; i < stalled; i++) {
                slow.add(connectAndSubscribeThenStopReading("feed"));
            }
            long heapBefore = usedHeapAfterGc();
            int sessionsBefore = server.node().internalsForTests().hub().memberCount();

            // From here on the stalled subscribers read nothing. Publish far more than their socket buffers and
            // queues can hold (9.4 MiB each), at the pace the readers consume (each may fall 64 KiB behind).
            for (int i = 0; i < publications; i++) {
                server.node().publish("feed", ("{\"n\":" + i + ",\"pad\":" + data + "}")
                        .getBytes(StandardCharsets.UTF_8), "", Map.of());
                assertThat(push(reader, "feed").path("pub").path("data").path("n").asInt()).isEqualTo(i);
                assertThat(push(otherReader, "feed").path("pub").path("data").path("n").asInt()).isEqualTo(i);
            }
            for (RawWebSocket s : slow) {
                RawWebSocket.Frame close = s.readUntilClose();
                assertThat(close.closeCode()).isEqualTo(3008);
                assertThat(close.closeReason()).isEqualTo("slow");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.node().internalsForTests().hub().memberCount() == 2);
            long heapAfter = usedHeapAfterGc();
            System.out.printf("WeftServerEngineTest: %d stalled subscribers, %d publications of 16 KiB, queue_max_size "
                            + "%d KiB; disconnected slow %d; sessions %d -> %d; heap after GC %d KiB -> %d KiB%n",
                    stalled, publications, queueMaxSize / 1024, server.refusals().count("disconnect.slow"),
                    sessionsBefore, server.node().internalsForTests().hub().memberCount(), heapBefore / 1024, heapAfter / 1024);

            assertThat(server.refusals().count("disconnect.slow")).isEqualTo(stalled);
            // Buffered for every stalled subscriber the flood would be 75 MiB; bounded, nothing of it is kept.
            assertThat(heapAfter - heapBefore).isLessThan(16L * 1024 * 1024);
        } finally {
            for (RawWebSocket s : slow) {
                s.close();
            }
        }
    }

    /** A subscriber that reads its connect and subscribe replies, then nothing more. */
    private RawWebSocket connectAndSubscribeThenStopReading(String channel) throws Exception {
        RawWebSocket ws = new RawWebSocket(server.port(), "/connection/websocket");
        ws.sendText("{\"id\":1,\"connect\":{}}");
        ws.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        int replies = 0;
        while (replies < 2) {
            for (String line : ws.readFrame().text().split("\n")) {
                if (JSON.readTree(line).has("id")) {
                    replies++;
                }
            }
        }
        return ws;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
