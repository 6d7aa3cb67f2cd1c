package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default engine against a real crash: Weft runs as a child process with channel history in SQLite
 * under its data directory; a stream of publishes through {@code /api/publish} is cut by SIGKILL; Weft starts
 * again on the same directory; a centrifuge-js client that stayed subscribed reconnects and must recover every
 * publication the API acknowledged, exactly once, in the same epoch ({@code recovered: true}).
 */
class DurableHistoryKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final int PUBLISHERS = 4;
    /** Acknowledged publishes before the kill; the kill lands while the publishers are still sending. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 400;

    @TempDir
    Path work;
    private WeftProcess weft;

    @AfterEach
    void stopWeft() throws Exception {
        if (weft != null) {
            weft.close();
        }
    }

    @Test
    void everyAcknowledgedPublicationIsRecoveredAfterSigkill() throws Exception {
        startWeft();
        String channel = "dur:stream-" + System.nanoTime();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> driverErrors = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Consumer<JsonNode> driver = event -> {
            if (event.path("event").asText().equals("ready")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        publishKillRestart(channel, acknowledged);
                    } catch (Exception | AssertionError e) {
                        driverErrors.add(e + "\n" + weft.logTail());
                    } finally {
                        ready.countDown();
                    }
                });
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_URL", "ws://127.0.0.1:" + weft.port() + "/connection/websocket");
        env.put("WEFT_API_URL", "http://127.0.0.1:" + weft.port() + "/api");
        env.put("WEFT_API_KEY", InteropServer.API_KEY);
        env.put("WEFT_TOKEN", InteropServer.connectionToken("alice"));
        env.put("DURABLE_CHANNEL", channel);
        env.put("WEFT_TIMEOUT_MS", String.valueOf(SCRIPT_TIMEOUT.minusSeconds(10).toMillis()));

        NodeScript.Result run = NodeScript.runScript("durable_restart.mjs", env, SCRIPT_TIMEOUT, driver);

        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(driverErrors).isEmpty();
        assertThat(run.exitCode()).as("%s\n%s", run.transcript(), weft.logTail()).isZero();
        System.out.print("--- durable_restart.mjs result lines\n" + run.stdout());

        String epoch = run.requireEvent("ready").path("epoch").asText();
        JsonNode result = run.requireEvent("result");
        JsonNode resubscribes = result.path("resubscribes");
        assertThat(resubscribes.size()).as("the SDK resubscribed after the restart").isGreaterThanOrEqualTo(1);
        for (JsonNode resubscribe : resubscribes) {
            assertThat(resubscribe.path("wasRecovering").asBoolean()).isTrue();
            assertThat(resubscribe.path("recovered").asBoolean()).as("recovered across the crash").isTrue();
            assertThat(resubscribe.path("epoch").asText()).as("same epoch after the restart").isEqualTo(epoch);
        }
        List<Integer> seqs = new ArrayList<>();
        result.path("seqs").forEach(s -> seqs.add(s.asInt()));
        assertThat(new HashSet<>(seqs)).as("no publication twice").hasSize(seqs.size());
        assertThat(seqs).as("every acknowledged publication arrived").containsAll(acknowledged);
        List<Long> offsets = new ArrayList<>();
        result.path("offsets").forEach(o -> offsets.add(o.asLong()));
        assertThat(offsets).as("offsets 1.. without gaps, the marker last")
                .isEqualTo(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        System.out.printf("acknowledged before SIGKILL: %d, delivered to the client: %d (%d committed but not "
                + "acknowledged)%n", acknowledged.size(), seqs.size(), seqs.size() - acknowledged.size());
    }

    /** Publishes from several threads until enough were acknowledged, kills Weft mid-stream, restarts it. */
    private void publishKillRestart(String channel, Set<Integer> acknowledged) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            running.add(publishers.submit(() -> {
                while (true) {
                    int seq = next.getAndIncrement();
                    try {
                        if (publish(http, channel, "{\"seq\":" + seq + "}")) {
                            acknowledged.add(seq);
                            if (acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL) {
                                enough.countDown();
                            }
                        }
                    } catch (IOException e) {
                        return null; // Weft is gone: this publish was not acknowledged
                    }
                }
            }));
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("publishes acknowledged before the kill").isTrue();
        weft.kill();
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        publishers.shutdown();
        weft.start();
        assertThat(publish(http, channel, "{\"marker\":true}")).as("the marker is published").isTrue();
    }

    private boolean publish(HttpClient http, String channel, String data) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("channel", channel);
        body.set("data", JSON.readTree(data));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weft.port() + "/api/publish"))
                .header("X-API-Key", InteropServer.API_KEY)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(response.body());
            return response.statusCode() == 200 && reply.path("error").isMissingNode()
                    && reply.path("result").path("offset").asLong() > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void startWeft() throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("client").putObject("token").put("hmac_secret_key", InteropServer.HMAC_SECRET);
        config.putObject("http_api").put("key", InteropServer.API_KEY);
        config.putObject("channel").putArray("namespaces").addObject()
                .put("name", "dur")
                .put("allow_subscribe_for_client", true)
                .put("history_size", 100_000)
                .put("history_ttl", "300s")
                .put("force_recovery", true);
        config.put("data_dir", work.resolve("data").toString()); // engine.type: the default, sqlite
        Path file = work.resolve("weft.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"), "weft-durable-" + System.nanoTime() + ".log");
        weft = WeftProcess.start(file, log);
    }
}
