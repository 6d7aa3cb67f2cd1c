package dev.weft.server.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.server.WeftServer;
import dev.weft.server.ai.relay.RelaySink;
import dev.weft.server.ai.relay.UpstreamRelays;
import dev.weft.server.config.AiStreamsConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** AI token streams through a real server: the push API, the UI message stream readers, stop, relays, limits. */
class AiStreamsServerTest {
    private static final String KEY = "ai-key";
    private static final String SECRET = "ai-test-secret-that-is-long-enough-for-hs256";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private WeftServer server;

    private void start(AiStreamsConfig ai, UpstreamRelays relays) {
        ChannelOptions kept = ChannelOptions.builder().historySize(1000).historyTtl(Duration.ofMinutes(5))
                .allowSubscribeForClient(true).build();
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT, List.of(
                new Namespace("ai", kept),
                new Namespace("private", ChannelOptions.builder().historySize(100).historyTtl(Duration.ofMinutes(5))
                        .build())));
        NodeConfig node = NodeConfig.DEFAULT.withClient(ClientOptions.builder().tokenHmacSecretKey(SECRET).build())
                .withChannels(channels);
        WeftConfig config = WeftConfig.DEFAULT.withNode(node).withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(KEY, false)).withAiStreams(ai).withDataDir(dataDir.toString());
        server = WeftServer.start(config, new Node(node, new MemoryBroker(), new MemoryPresenceManager()), relays);
    }

    /** With the configured relays ({@code ai.relay.*}: any upstream URL). */
    private void start() {
        start(AiStreamsConfig.DEFAULT, null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void pushedTextIsReadWholeAsOneUiMessageStreamEndingInDone() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:c1\"}").path("id").asText();
        assertThat(id).endsWith("@ai:c1");
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"Hel\"}"));
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"lo \\\"world\\\"\"}"));
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"part\":{\"type\":\"data-note\",\"data\":{\"n\":1}}}"));
        assertThat(AiTestClient.ok(post("/api/streams/" + id + "/finish", "{\"finish_reason\":\"stop\"}")).path("state").asText())
                .isEqualTo("finish");

        AiTestClient.Reader reader = read("/ai/streams/" + id, null);
        assertThat(reader.response.headers().firstValue("x-vercel-ai-ui-message-stream")).hasValue("v1");
        List<JsonNode> parts = reader.untilDone();
        assertThat(parts).extracting(p -> p.path("type").asText())
                .containsExactly("start", "text-start", "text-delta", "data-note", "text-end", "finish");
        assertThat(parts.get(0).path("messageId").asText()).isEqualTo(id);
        assertThat(parts.get(2).path("delta").asText()).isEqualTo("Hello \"world\""); // one catch-up
        assertThat(parts.get(5).path("finishReason").asText()).isEqualTo("stop");
        // An ended stream takes nothing more; ending it again changes nothing.
        assertThat(AiTestClient.error(post("/api/stream_append", "{\"id\":\"" + id + "\",\"text\":\"x\"}")).path("code").asInt())
                .isEqualTo(113);
        assertThat(AiTestClient.ok(post("/api/streams/" + id + "/stop", "{}")).path("state").asText()).isEqualTo("finish");
    }

    @Test
    void lateReaderGetsTheTextSoFarThenLiveDeltasAndResumesByLastEventId() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:c2\"}").path("id").asText();
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"a\"}"));
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"b\"}"));
        AiTestClient.Reader reader = read("/ai/streams/" + id, null);
        assertThat(reader.next().path("type").asText()).isEqualTo("start");
        assertThat(reader.next().path("type").asText()).isEqualTo("text-start");
        JsonNode catchUp = reader.next();
        assertThat(catchUp.path("delta").asText()).isEqualTo("ab");
        String lastEventId = reader.lastId;
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"c\"}"));
        assertThat(reader.next().path("delta").asText()).isEqualTo("c");
        AiTestClient.ok(post("/api/streams/" + id + "/finish", "{}"));
        assertThat(reader.untilDone()).extracting(p -> p.path("type").asText()).containsExactly("text-end", "finish");

        List<JsonNode> resumed = read("/ai/streams/" + id, lastEventId).untilDone();
        assertThat(resumed).extracting(p -> p.path("type").asText()).containsExactly("text-delta", "text-end", "finish");
        assertThat(resumed.getFirst().path("delta").asText()).isEqualTo("c");
    }

    @Test
    void deltasArrivingWithinOneWindowReachAReaderAsOneMergedEventAndNothingIsLost() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:burst\"}").path("id").asText();
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"\"}"));
        AiTestClient.Reader reader = read("/ai/streams/" + id, null);
        reader.next();
        reader.next();
        reader.next(); // start, text-start, the empty delta: now live
        StringBuilder commands = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            commands.append(i == 0 ? "" : ",").append("{\"stream_append\":{\"id\":\"").append(id)
                    .append("\",\"text\":\"t").append(i).append(" \"}}");
            expected.append('t').append(i).append(' ');
        }
        commands.append(",{\"stream_finish\":{\"id\":\"").append(id).append("\"}}");
        HttpResponse<String> batch = post("/api/batch", "{\"commands\":[" + commands + "]}");
        assertThat(batch.body()).doesNotContain("\"error\"");
        int before = reader.events;
        StringBuilder text = new StringBuilder();
        List<JsonNode> rest = reader.untilDone();
        rest.stream().filter(p -> p.path("type").asText().equals("text-delta"))
                .forEach(p -> text.append(p.path("delta").asText()));
        assertThat(text.toString()).isEqualTo(expected.toString());
        // 300 deltas published back to back (one batch, well within the 20 ms window) became a few events.
        assertThat(reader.events - before).isLessThan(300);
    }

    @Test
    void aReaderThatStopsReadingGetsLargerMergedEventsLaterAndLosesNothingWhileTheProducerGoesOn() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:stall\"}").path("id").asText();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write(("GET /ai/streams/" + id.replace("@", "%40") + " HTTP/1.1\r\nHost: t\r\n"
                    + "Authorization: Bearer " + token("u") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "y".repeat(300);
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 1000; i++) { // 300 KB while the reader reads nothing: every append answered
                String text = i + chunk;
                AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"" + text + "\"}"));
                expected.append(text);
            }
            AiTestClient.ok(post("/api/streams/" + id + "/finish", "{}"));
            socket.setSoTimeout(5000);
            String body = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder text = new StringBuilder();
            int deltaEvents = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("data: {\"type\":\"text-delta\"")) {
                    deltaEvents++;
                    text.append(AiTestClient.JSON.readTree(line.substring(6)).path("delta").asText());
                }
            }
            assertThat(text.toString()).isEqualTo(expected.toString());
            assertThat(body).contains("data: {\"type\":\"finish\"}").contains("data: [DONE]");
            assertThat(deltaEvents).as("merged while the reader was not reading").isLessThan(1000);
        }
    }

    @Test
    void chatResumeReplaysTheOpenResponseFromItsStartAndAnswers204WithoutOne() throws Exception {
        start();
        assertThat(get("/ai/chat/chat-1/stream").statusCode()).isEqualTo(204);
        JsonNode created = create("{\"chat_id\":\"chat-1\"}");
        assertThat(created.path("channel").asText()).isEqualTo("ai:chat_chat-1");
        String id = created.path("id").asText();
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"hi\"}"));
        AiTestClient.Reader reader = read("/ai/chat/chat-1/stream", null);
        assertThat(reader.next().path("type").asText()).isEqualTo("start");
        assertThat(reader.next().path("type").asText()).isEqualTo("text-start");
        assertThat(reader.next().path("delta").asText()).isEqualTo("hi");
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\" there\"}"));
        assertThat(reader.next().path("delta").asText()).isEqualTo(" there");
        AiTestClient.ok(post("/api/streams/" + id + "/finish", "{}"));
        assertThat(reader.untilDone()).extracting(p -> p.path("type").asText()).containsExactly("text-end", "finish");
        assertThat(get("/ai/chat/chat-1/stream").statusCode()).isEqualTo(204);
        assertThat(get("/ai/streams/nothing@ai:c9?token=" + token("u")).statusCode()).isEqualTo(404);
    }

    @Test
    void aReaderStopsTheStreamOverHttpOnlyWithPermissionAndItEndsWithAbort() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:c3\"}").path("id").asText();
        AiTestClient.ok(post("/api/streams/" + id + "/append", "{\"text\":\"x\"}"));
        AiTestClient.Reader reader = read("/ai/streams/" + id, null);
        reader.next();
        // No subscribe permission in namespace "private": refused.
        String other = create("{\"channel\":\"private:c\"}").path("id").asText();
        assertThat(postAs("/ai/streams/" + other + "/stop", "u").statusCode()).isEqualTo(403);
        assertThat(get("/ai/streams/" + other + "?token=" + token("u")).statusCode()).isEqualTo(403);
        HttpResponse<String> stopped = postAs("/ai/streams/" + id + "/stop", "u");
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(JSON.readTree(stopped.body()).path("result").path("state").asText()).isEqualTo("abort");
        List<JsonNode> rest = reader.untilDone();
        assertThat(rest.getLast().path("type").asText()).isEqualTo("abort");
        assertThat(AiTestClient.error(post("/api/streams/" + id + "/append", "{\"text\":\"late\"}")).path("code").asInt())
                .isEqualTo(113);
    }

    @Test
    void aRelayWritesPartsAndEndsWithFinishAndStopCancelsItThenWritesAbort() throws Exception {
        AtomicReference<RelaySink> sink = new AtomicReference<>();
        AtomicReference<String> upstream = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        start(AiStreamsConfig.DEFAULT, (json, s) -> {
            upstream.set(new String(json, StandardCharsets.UTF_8));
            sink.set(s);
            return cancelled::countDown;
        });
        String id = create("{\"channel\":\"ai:r1\",\"upstream\":{\"url\":\"http://x\",\"format\":\"sse\"}}")
                .path("id").asText();
        assertThat(upstream.get()).isEqualTo("{\"url\":\"http://x\",\"format\":\"sse\"}");
        assertThat(sink.get().part("{\"type\":\"text-start\",\"id\":\"t\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(sink.get().part("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"ok\"}"
                .getBytes(StandardCharsets.UTF_8))).isTrue();
        AiTestClient.Reader reader = read("/ai/streams/" + id, null);
        assertThat(reader.next().path("type").asText()).isEqualTo("start");
        reader.next();
        assertThat(reader.next().path("delta").asText()).isEqualTo("ok");
        assertThat(AiTestClient.ok(post("/api/streams/" + id + "/stop", "{}")).path("state").asText()).isEqualTo("abort");
        assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.untilDone().getLast().path("type").asText()).isEqualTo("abort");
        assertThat(sink.get().part("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"late\"}"
                .getBytes(StandardCharsets.UTF_8))).isFalse();

        String finished = create("{\"channel\":\"ai:r2\",\"upstream\":{}}").path("id").asText();
        sink.get().part("{\"type\":\"text-start\",\"id\":\"t\"}".getBytes(StandardCharsets.UTF_8));
        sink.get().finished("end_turn");
        assertThat(read("/ai/streams/" + finished, null).untilDone().getLast().toString())
                .isEqualTo("{\"type\":\"finish\",\"finishReason\":\"other\"}");
        String failed = create("{\"channel\":\"ai:r3\",\"upstream\":{}}").path("id").asText();
        sink.get().failed("upstream answered 503");
        assertThat(read("/ai/streams/" + failed, null).untilDone().getLast().path("errorText").asText())
                .isEqualTo("upstream answered 503");
    }

    @Test
    void anUpstreamTheRelaysRefuseIsABadRequestWithTheirReasonAndStartsNoStream() throws Exception {
        start();
        JsonNode error = AiTestClient.error(post("/api/streams",
                "{\"id\":\"x1@ai:x\",\"upstream\":{\"url\":\"http://127.0.0.1:1/v1\",\"format\":\"nope\"}}"));
        assertThat(error.path("code").asInt()).isEqualTo(107);
        assertThat(error.path("message").asText()).startsWith("bad request: upstream: ");
        assertThat(get("/ai/streams/x1@ai:x").statusCode()).isEqualTo(404);
    }

    @Test
    void theConfiguredRelaysFillAStreamFromAnOpenAiChatUpstream() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                for (String delta : List.of("Hel", "lo ", "world")) {
                    out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta
                            + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        upstream.start();
        try {
            start();
            String id = create("{\"channel\":\"ai:relay\",\"upstream\":{\"url\":\"http://127.0.0.1:"
                    + upstream.getAddress().getPort() + "/v1/chat/completions\",\"format\":\"openai-chat\","
                    + "\"body\":{\"model\":\"m\",\"messages\":[]}}}").path("id").asText();
            List<JsonNode> parts = read("/ai/streams/" + id, null).untilDone();
            StringBuilder text = new StringBuilder();
            parts.stream().filter(p -> p.path("type").asText().equals("text-delta"))
                    .forEach(p -> text.append(p.path("delta").asText()));
            assertThat(text.toString()).isEqualTo("Hello world");
            assertThat(parts.getFirst().path("type").asText()).isEqualTo("start");
            assertThat(parts.getLast().toString()).isEqualTo("{\"type\":\"finish\",\"finishReason\":\"stop\"}");
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void aNewGenerationFencesTheOldProducerAndCancelsItsRelay() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        start(AiStreamsConfig.DEFAULT, (json, s) -> () -> cancelled.set(true));
        JsonNode first = create("{\"channel\":\"ai:g\",\"id\":\"answer@ai:g\",\"upstream\":{}}");
        assertThat(first.path("generation").asLong()).isEqualTo(1);
        JsonNode second = create("{\"id\":\"answer@ai:g\"}");
        assertThat(second.path("generation").asLong()).isEqualTo(2);
        assertThat(cancelled).isTrue();
        JsonNode stale = AiTestClient.error(post("/api/streams/answer@ai:g/append", "{\"text\":\"x\",\"generation\":1}"));
        assertThat(stale.path("code").asInt()).isEqualTo(113);
        assertThat(stale.path("message").asText()).contains("generation 2");
        AiTestClient.ok(post("/api/streams/answer@ai:g/append", "{\"text\":\"x\",\"generation\":2}"));
    }

    @Test
    void limitsOnSizeAndStreamsPerUserAreRefusedWithTheirOption() throws Exception {
        start(AiStreamsConfig.DEFAULT.withMaxSize(200).withMaxPerUser(1), null);
        String id = create("{\"channel\":\"ai:l\",\"user\":\"ann\"}").path("id").asText();
        JsonNode second = AiTestClient.error(post("/api/streams", "{\"channel\":\"ai:l2\",\"user\":\"ann\"}"));
        assertThat(second.path("code").asInt()).isEqualTo(106);
        assertThat(second.path("message").asText()).contains("ai.streams.max_per_user");
        JsonNode tooBig = AiTestClient.error(post("/api/streams/" + id + "/append", "{\"text\":\"" + "x".repeat(300) + "\"}"));
        assertThat(tooBig.path("code").asInt()).isEqualTo(106);
        assertThat(tooBig.path("message").asText()).contains("ai.streams.max_size");
        assertThat(read("/ai/streams/" + id, null).untilDone().getLast().path("errorText").asText())
                .contains("ai.streams.max_size");
        create("{\"channel\":\"ai:l3\",\"user\":\"ann\"}"); // the ended stream gave its slot back
    }

    @Test
    void reservedPartsAndMalformedIdsAreBadRequests() throws Exception {
        start();
        String id = create("{\"channel\":\"ai:b\"}").path("id").asText();
        assertThat(AiTestClient.error(post("/api/streams/" + id + "/append", "{\"part\":{\"type\":\"finish\"}}")).path("message")
                .asText()).contains("use finish, error or stop");
        assertThat(AiTestClient.error(post("/api/streams/" + id + "/append", "{\"part\":[1]}")).path("code").asInt()).isEqualTo(107);
        assertThat(AiTestClient.error(post("/api/streams/nope/append", "{\"text\":\"x\"}")).path("code").asInt()).isEqualTo(107);
        assertThat(AiTestClient.error(post("/api/streams", "{\"channel\":\"nohistory\"}")).path("code").asInt()).isEqualTo(108);
    }

    private JsonNode create(String body) throws Exception {
        return client().create(body);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client().post(path, body);
    }

    private HttpResponse<String> postAs(String path, String user) throws Exception {
        return client().postAs(path, user);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client().get(path);
    }

    private AiTestClient.Reader read(String path, String lastEventId) throws Exception {
        return client().read(path, lastEventId);
    }

    private AiTestClient client() {
        return new AiTestClient(server, KEY, SECRET);
    }

    private String token(String user) {
        return client().token(user);
    }
}
