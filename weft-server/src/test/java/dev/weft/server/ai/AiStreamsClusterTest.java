package dev.weft.server.ai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.WeftServer;
import dev.weft.server.ai.relay.RelaySink;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AI streams on two nodes sharing one engine: a relay runs on node A, its reader and its stop come through
 * node B; a backend pushes one answer through both nodes; a reader of A resumes what B's reader had. Each
 * engine's subclass supplies the engine configuration (a prefix of its own per test).
 */
abstract class AiStreamsClusterTest {
    private static final String KEY = "ai-cluster-key";
    private static final String SECRET = "ai-cluster-test-secret-long-enough-for-hs256";
    private final List<WeftServer> servers = new ArrayList<>();
    @TempDir
    Path dataDir;

    /** The engine every node of one test shares. */
    protected abstract EngineConfig engine();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.close(Duration.ofSeconds(2)));
    }

    private AiTestClient node(String name, AtomicReference<RelaySink> sink, CountDownLatch cancelled) {
        ChannelOptions ai = ChannelOptions.builder().historySize(1000).historyTtl(Duration.ofMinutes(5))
                .allowSubscribeForClient(true).build();
        NodeConfig node = NodeConfig.DEFAULT.withClient(ClientOptions.builder().tokenHmacSecretKey(SECRET).build())
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT, List.of(new Namespace("ai", ai))));
        WeftConfig config = WeftConfig.DEFAULT.withNode(node).withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(KEY, false)).withDataDir(dataDir.resolve(name).toString())
                .withEngine(engine());
        WeftServer server = WeftServer.start(config, (json, s) -> {
            sink.set(s);
            return cancelled::countDown;
        });
        servers.add(server);
        return new AiTestClient(server, KEY, SECRET);
    }

    @Test
    void aRelayOnOneNodeIsReadAndStoppedThroughTheOther() throws Exception {
        AtomicReference<RelaySink> sink = new AtomicReference<>();
        CountDownLatch cancelledOnA = new CountDownLatch(1);
        AiTestClient a = node("a", sink, cancelledOnA);
        AiTestClient b = node("b", new AtomicReference<>(), new CountDownLatch(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> AiTestClient.ok(a.post("/api/info", "{}"))
                .path("nodes").size() == 2);

        String id = a.create("{\"channel\":\"ai:relayed\",\"upstream\":{}}").path("id").asText();
        assertThat(sink.get().part(bytes("{\"type\":\"text-start\",\"id\":\"t\"}"))).isTrue();
        assertThat(sink.get().part(bytes("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"one \"}"))).isTrue();
        AiTestClient.Reader reader = b.read("/ai/streams/" + id, null);
        assertThat(reader.next().path("type").asText()).isEqualTo("start");
        assertThat(reader.next().path("type").asText()).isEqualTo("text-start");
        assertThat(reader.next().path("delta").asText()).isEqualTo("one ");
        assertThat(sink.get().part(bytes("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"two\"}"))).isTrue();
        assertThat(reader.next().path("delta").asText()).isEqualTo("two");

        assertThat(AiTestClient.ok(b.post("/api/streams/" + id + "/stop", "{}")).path("state").asText())
                .isEqualTo("abort");
        assertThat(cancelledOnA.await(5, TimeUnit.SECONDS)).as("A's relay cancelled by B's stop").isTrue();
        assertThat(reader.untilDone()).extracting(p -> p.path("type").asText()).containsExactly("abort");
        assertThat(sink.get().part(bytes("{\"type\":\"text-delta\",\"id\":\"t\",\"delta\":\"late\"}"))).isFalse();
        // A reader of A sees the same stream, ended once.
        List<JsonNode> onA = a.read("/ai/streams/" + id, null).untilDone();
        assertThat(onA).extracting(p -> p.path("type").asText())
                .containsExactly("start", "text-start", "text-delta", "abort");
        assertThat(onA.get(2).path("delta").asText()).isEqualTo("one two");
    }

    @Test
    void aBackendPushingThroughBothNodesMakesOneAnswerThatEitherNodeResumes() throws Exception {
        AiTestClient a = node("a", new AtomicReference<>(), new CountDownLatch(1));
        AiTestClient b = node("b", new AtomicReference<>(), new CountDownLatch(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> AiTestClient.ok(a.post("/api/info", "{}"))
                .path("nodes").size() == 2);
        JsonNode created = a.create("{\"chat_id\":\"c1\"}");
        String id = created.path("id").asText();
        AiTestClient.ok(a.post("/api/streams/" + id + "/append", "{\"text\":\"Hel\"}"));
        AiTestClient.ok(b.post("/api/streams/" + id + "/append", "{\"text\":\"lo\"}"));
        AiTestClient.Reader onB = b.read("/ai/chat/c1/stream", null);
        assertThat(onB.next().path("messageId").asText()).isEqualTo(id);
        assertThat(onB.next().path("type").asText()).isEqualTo("text-start");
        JsonNode catchUp = onB.next();
        assertThat(catchUp.path("delta").asText()).isEqualTo("Hello");
        String resumeFrom = onB.lastId;
        AiTestClient.ok(a.post("/api/streams/" + id + "/append", "{\"text\":\"!\"}"));
        assertThat(onB.next().path("delta").asText()).isEqualTo("!");
        assertThat(AiTestClient.ok(b.post("/api/streams/" + id + "/finish", "{}")).path("state").asText())
                .isEqualTo("finish");
        assertThat(onB.untilDone()).extracting(p -> p.path("type").asText()).containsExactly("text-end", "finish");
        // A learns it ended (B tells it over the bus, so not at once; parts A might still write after the end
        // are never shown, readers stop at the first end), and a reader of A resumes where B's reader was.
        await().atMost(Duration.ofSeconds(10)).until(() -> a.post("/api/streams/" + id + "/append",
                "{\"text\":\"x\"}").body().contains("\"code\":113"));
        List<JsonNode> resumed = a.read("/ai/streams/" + id, resumeFrom).untilDone();
        assertThat(resumed).extracting(p -> p.path("type").asText()).containsExactly("text-delta", "text-end", "finish");
        assertThat(a.get("/ai/chat/c1/stream").statusCode()).isEqualTo(204);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
