package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.nats.SharedNats;
import dev.weft.redis.RedisTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Weft nodes (child processes) sharing the machine's Redis, then its NATS, with real centrifuge-js
 * clients spread over them through {@link ClusterProxy} ({@code node/cluster.mjs} says what the clients do
 * and check). Clients on different nodes see each other's joins, leaves and presence and every publication of
 * every node. While the server API takes 20 publications per second on the nodes in turn, one node is
 * SIGKILLed and cut in the proxy: its clients reconnect through the proxy to the survivors, recover, and every
 * client ends with every acknowledged publication exactly once, in offset order, every resubscribe
 * {@code recovered: true}. Then all nodes are SIGKILLed mid-stream and started again: nothing the API
 * acknowledged is lost, and a new client subscribing from an earlier position recovers the rest.
 */
class ClusterInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final int CLIENTS = 6;
    private static final int KILLED = 1;
    private static final Duration PUBLISH_PERIOD = Duration.ofMillis(100); // two each: 20 publications per second
    private static final int IN_FLIGHT = 16;
    /** Acknowledged publications before a kill, and after it before the stream stops. */
    private static final int BEFORE_KILL = 60;
    private static final int AFTER_KILL = 60;
    private static final int BEFORE_RESTART = 30;
    private static final int AFTER_RESTART = 30;
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);
    private static final String NATS_URL = "nats://127.0.0.1:4222";

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<WeftProcess> nodes = new ArrayList<>();
    /** Nodes the publisher sends to. */
    private final Set<Integer> live = ConcurrentHashMap.newKeySet();
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextSeq = new AtomicInteger(1);
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> figures = new CopyOnWriteArrayList<>();
    private ClusterProxy proxy;

    @ParameterizedTest(name = "engine.type {0}")
    @ValueSource(strings = {"redis", "nats"})
    void clientsSpreadOverNodesLoseNothingWhenNodesDie(String engine) throws Exception {
        String prefix = engine.equals("redis") ? RedisTestSupport.uniquePrefix()
                : "weftcluster-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            run(engine, prefix);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            for (WeftProcess node : nodes) {
                node.close();
            }
            if (engine.equals("redis")) {
                RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, prefix);
            } else {
                SharedNats.deletePrefix(NATS_URL, prefix);
            }
            http.close();
        }
    }

    private void run(String engine, String prefix) throws Exception {
        startNodes(engine, prefix);
        String place = engine.equals("redis") ? "Redis Streams" : "NATS JetStream";
        for (WeftProcess node : nodes) {
            assertThat(node.logTail()).as("the start banner names the shared history")
                    .contains("channel history: " + place + ", prefix " + prefix);
        }
        proxy = ClusterProxy.start(nodes.stream().map(WeftProcess::port).toList(), SCRIPT_TIMEOUT.plusSeconds(60));
        String channel = "cl:stream-" + System.nanoTime();
        List<String> driverErrors = new CopyOnWriteArrayList<>();
        Set<Integer> acknowledgedBeforeRestart = ConcurrentHashMap.newKeySet();

        NodeScript.Result run = NodeScript.runScript("cluster.mjs", scriptEnv(channel), SCRIPT_TIMEOUT, event -> {
            switch (event.path("event").asText()) {
                case "ready" -> inBackground(driverErrors, () -> killOneNode(channel));
                case "restart_me" -> inBackground(driverErrors, () -> {
                    acknowledgedBeforeRestart.addAll(acknowledged);
                    restartAllNodes(channel);
                });
                default -> { }
            }
        });

        assertThat(driverErrors).as("driver\n%s", run.transcript()).isEmpty();
        assertThat(run.exitCode()).as("%s\n%s", run.transcript(), logTails()).isZero();

        String epoch = run.requireEvent("ready").path("epoch").asText();
        Set<String> killedUsers = new HashSet<>();
        for (JsonNode client : run.requireEvent("ready").path("clients")) {
            if (client.path("node").asInt() == KILLED) {
                killedUsers.add(client.path("user").asText());
            }
        }

        List<JsonNode> phase1 = run.events("phase1");
        List<JsonNode> phase2 = run.events("phase2");
        assertThat(phase1).hasSize(CLIENTS);
        assertThat(phase2).hasSize(CLIENTS);
        for (JsonNode client : phase1) {
            String user = client.path("user").asText();
            checkStream(client, acknowledgedBeforeRestart, epoch);
            if (killedUsers.contains(user)) {
                assertThat(client.path("resubscribes").size()).as("%s was on the killed node: it resubscribed", user)
                        .isGreaterThanOrEqualTo(1);
            } else {
                assertThat(client.path("resubscribes").size()).as("%s's node lived: no resubscribe", user).isZero();
            }
        }
        List<Integer> firstSeqs = ints(phase2.getFirst().path("seqs"));
        for (JsonNode client : phase2) {
            checkStream(client, acknowledged, epoch);
            assertThat(ints(client.path("seqs"))).as("%s got the publications in the order u0 got them",
                    client.path("user").asText()).isEqualTo(firstSeqs);
            assertThat(client.path("resubscribes").size())
                    .as("%s resubscribed after every node was restarted", client.path("user").asText())
                    .isGreaterThan(phase1.stream().filter(c -> c.path("user").equals(client.path("user")))
                            .findFirst().orElseThrow().path("resubscribes").size());
        }

        JsonNode fresh = run.requireEvent("fresh");
        assertThat(fresh.path("wasRecovering").asBoolean()).isTrue();
        assertThat(fresh.path("recovered").asBoolean()).as("recovered from a position older than the restart").isTrue();
        assertThat(fresh.path("epoch").asText()).isEqualTo(epoch);
        long since = fresh.path("since").path("offset").asLong();
        List<Long> freshOffsets = NodeScript.longs(fresh.path("offsets"));
        long end = NodeScript.longs(phase2.getFirst().path("offsets")).getLast();
        assertThat(freshOffsets).as("everything after the position, once, in order")
                .isEqualTo(LongStream.rangeClosed(since + 1, end).boxed().toList());
        Set<Integer> acknowledgedAfter = acknowledged.stream()
                .filter(seq -> !acknowledgedBeforeRestart.contains(seq)).collect(Collectors.toSet());
        assertThat(ints(fresh.path("seqs"))).containsAll(acknowledgedAfter);
        assertThat(firstSeqs).as("the new client got what the others got after its position, in their order")
                .endsWith(ints(fresh.path("seqs")).toArray(Integer[]::new));

        System.out.printf("%s: %d publications acknowledged (%d before the restart of every node), %d refused "
                        + "or unanswered; proxy connections per node %s%n", engine, acknowledged.size(),
                acknowledgedBeforeRestart.size(), refused.get(),
                List.of(proxy.acceptedBy(0), proxy.acceptedBy(1), proxy.acceptedBy(2)));
        figures.forEach(System.out::println);
        for (JsonNode presence : run.events("presence_now")) {
            System.out.printf("  presence asked on node 0 %s: %d clients listed for %d connected%n",
                    presence.path("when").asText(), presence.path("listed").asInt(), CLIENTS);
        }
        for (JsonNode client : phase2) {
            List<Long> reconnectMs = new ArrayList<>();
            client.path("reconnects").forEach(r -> reconnectMs.add(r.path("ms").asLong()));
            System.out.printf("  %s (node %d): %d publications received, reconnected and recovered after %s ms%n",
                    client.path("user").asText(), client.path("node").asInt(), client.path("offsets").size(),
                    reconnectMs);
        }
        System.out.printf("  new client from offset %d: %d publications recovered%n", since, freshOffsets.size());
    }

    /**
     * One client's stream: offsets 1..n without a gap or a repeat (every publication of the channel once, in
     * order), none twice, every acknowledged one there, every resubscribe recovered in the epoch.
     */
    private static void checkStream(JsonNode client, Set<Integer> mustHave, String epoch) {
        String user = client.path("user").asText();
        List<Long> offsets = NodeScript.longs(client.path("offsets"));
        assertThat(offsets).as("%s: every publication once, in offset order", user)
                .isEqualTo(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        List<Integer> seqs = ints(client.path("seqs"));
        assertThat(seqs).as("%s: no publication twice", user).doesNotHaveDuplicates();
        assertThat(seqs).as("%s: every acknowledged publication", user).containsAll(mustHave);
        for (JsonNode resubscribe : client.path("resubscribes")) {
            assertThat(resubscribe.path("wasRecovering").asBoolean()).as("%s: %s", user, resubscribe).isTrue();
            assertThat(resubscribe.path("recovered").asBoolean()).as("%s: %s", user, resubscribe).isTrue();
            assertThat(resubscribe.path("epoch").asText()).as("%s: same epoch", user).isEqualTo(epoch);
        }
    }

    /** 20/s on the live nodes in turn; one node SIGKILLed (and cut) mid-stream; then the end marker 1. */
    private void killOneNode(String channel) throws Exception {
        Publisher publisher = new Publisher(channel);
        awaitAcknowledged(BEFORE_KILL);
        long killedAt = System.nanoTime();
        nodes.get(KILLED).kill();
        proxy.cut(KILLED);
        live.remove(KILLED);
        figures.add(String.format("  node %d SIGKILLed and cut in %d ms, with %d publications acknowledged",
                KILLED, (System.nanoTime() - killedAt) / 1_000_000, acknowledged.size()));
        awaitAcknowledged(acknowledged.size() + AFTER_KILL);
        publisher.stop();
        assertThat(publish(0, channel, "{\"end\":1}")).as("end marker 1").isTrue();
    }

    /** 20/s again; every node SIGKILLed mid-stream, all started again; more publications; the end marker 2. */
    private void restartAllNodes(String channel) throws Exception {
        Publisher publisher = new Publisher(channel);
        awaitAcknowledged(acknowledged.size() + BEFORE_RESTART);
        int before = acknowledged.size();
        for (int i = 0; i < NODES; i++) {
            nodes.get(i).kill();
            proxy.cut(i);
            live.remove(i);
        }
        figures.add(String.format("  every node SIGKILLed with %d publications acknowledged", before));
        long restartAt = System.nanoTime();
        try (ExecutorService starts = Executors.newFixedThreadPool(NODES)) {
            List<Future<?>> started = new ArrayList<>();
            for (WeftProcess node : nodes) {
                started.add(starts.submit(() -> {
                    node.start();
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(90, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < NODES; i++) {
            proxy.restore(i);
            live.add(i);
        }
        figures.add(String.format("  every node started again in %d ms", (System.nanoTime() - restartAt) / 1_000_000));
        awaitAcknowledged(acknowledged.size() + AFTER_RESTART);
        publisher.stop();
        assertThat(publish(NODES - 1, channel, "{\"end\":2}")).as("end marker 2").isTrue();
    }

    /** Waits (bounded) until the publisher has {@code count} acknowledged publications in all. */
    private void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count
                        + " publications acknowledged within 30 s\n" + logTails());
            }
            Thread.sleep(10);
        }
    }

    /**
     * Publishes {@code {"seq": n}} to the live nodes, 20 a second in pairs: every {@link #PUBLISH_PERIOD} two
     * publishes leave at once for two different nodes, so publishers on several nodes race for the channel's
     * next offset. Each publish runs on its own virtual thread (at most {@link #IN_FLIGHT} at a time; a tick
     * finding none free is skipped), so a slow or dead node does not hold the others back.
     */
    private final class Publisher {
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private volatile boolean running = true;
        private final Thread thread;

        Publisher(String channel) {
            thread = Thread.ofVirtual().name("publisher").start(() -> {
                long start = System.nanoTime();
                for (long tick = 0; running; tick++) {
                    long wait = start + tick * PUBLISH_PERIOD.toNanos() - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    List<Integer> targets = live.stream().sorted().toList();
                    for (int k = 0; k < 2 && !targets.isEmpty(); k++) {
                        int node = targets.get((int) ((2 * tick + k) % targets.size()));
                        if (!inFlight.tryAcquire()) {
                            continue;
                        }
                        int seq = nextSeq.getAndIncrement();
                        Thread.ofVirtual().name("publish-" + seq).start(() -> {
                            try {
                                if (publish(node, channel, "{\"seq\":" + seq + "}")) {
                                    acknowledged.add(seq);
                                } else {
                                    refused.incrementAndGet();
                                }
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                }
            });
        }

        /** Stops publishing and waits for the publishes in flight to be answered (or to fail). */
        void stop() throws InterruptedException {
            running = false;
            thread.join(Duration.ofSeconds(15));
            if (!inFlight.tryAcquire(IN_FLIGHT, 15, TimeUnit.SECONDS)) {
                throw new AssertionError("publishes still unanswered 15 s after the stream stopped");
            }
        }
    }

    /** {@code POST /api/publish} on {@code node}: true when the node acknowledged it with an offset. */
    private boolean publish(int node, String channel, String data) {
        try {
            ObjectNode body = JSON.createObjectNode().put("channel", channel);
            body.set("data", JSON.readTree(data));
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + nodes.get(node).port() + "/api/publish"))
                    .header("X-API-Key", InteropServer.API_KEY)
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(response.body());
            return response.statusCode() == 200 && reply.path("error").isMissingNode()
                    && reply.path("result").path("offset").asLong() > 0;
        } catch (IOException e) {
            return false; // the node is gone: not acknowledged
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void startNodes(String engine, String prefix) throws Exception {
        try (ExecutorService starts = Executors.newFixedThreadPool(NODES)) {
            List<Future<WeftProcess>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                Path config = writeConfig(engine, prefix, i);
                Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"),
                        "weft-cluster-" + engine + "-node" + i + "-" + System.nanoTime() + ".log");
                started.add(starts.submit(() -> WeftProcess.start(config, log)));
            }
            for (Future<WeftProcess> f : started) {
                nodes.add(f.get(90, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < NODES; i++) {
            live.add(i);
        }
    }

    private Path writeConfig(String engine, String prefix, int node) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("client").putObject("token").put("hmac_secret_key", InteropServer.HMAC_SECRET);
        config.putObject("http_api").put("key", InteropServer.API_KEY);
        ObjectNode engineConfig = config.putObject("engine").put("type", engine);
        if (engine.equals("redis")) {
            engineConfig.putObject("redis").put("prefix", prefix).putArray("address").add(RedisTestSupport.ADDRESS);
        } else {
            engineConfig.putObject("nats").put("url", NATS_URL).put("prefix", prefix);
        }
        config.putObject("channel").putArray("namespaces").addObject()
                .put("name", "cl")
                .put("presence", true)
                .put("join_leave", true)
                .put("force_push_join_leave", true)
                .put("history_size", 1000)
                .put("history_ttl", "300s")
                .put("force_recovery", true)
                .put("allow_subscribe_for_client", true)
                .put("allow_presence_for_subscriber", true);
        config.put("data_dir", work.resolve("node" + node).toString());
        Path file = work.resolve("weft-node" + node + ".json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return file;
    }

    private Map<String, String> scriptEnv(String channel) throws IOException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            urls.add("ws://127.0.0.1:" + proxy.frontPort(i) + "/connection/websocket");
        }
        ObjectNode tokens = JSON.createObjectNode();
        for (int i = 0; i < CLIENTS; i++) {
            tokens.put("u" + i, InteropServer.connectionToken("u" + i));
        }
        tokens.put("visitor", InteropServer.connectionToken("visitor"));
        tokens.put("fresh", InteropServer.connectionToken("fresh"));
        Map<String, String> env = new HashMap<>();
        env.put("WEFT_URL", urls.getFirst());
        env.put("WEFT_API_URL", "http://127.0.0.1:" + nodes.getFirst().port() + "/api");
        env.put("WEFT_API_KEY", InteropServer.API_KEY);
        env.put("WEFT_TOKEN", tokens.path("u0").asText());
        env.put("CLUSTER_URLS", String.join(",", urls));
        env.put("CLUSTER_TOKENS", JSON.writeValueAsString(tokens));
        env.put("CLUSTER_CHANNEL", channel);
        env.put("CLUSTER_CLIENTS", String.valueOf(CLIENTS));
        env.put("WEFT_TIMEOUT_MS", String.valueOf(SCRIPT_TIMEOUT.minusSeconds(10).toMillis()));
        return env;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void inBackground(List<String> errors, Step step) {
        Thread.ofVirtual().start(() -> {
            try {
                step.run();
            } catch (Exception | AssertionError e) {
                errors.add(e.toString());
            }
        });
    }

    private String logTails() {
        return nodes.stream().map(WeftProcess::logTail).collect(Collectors.joining("\n"));
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
