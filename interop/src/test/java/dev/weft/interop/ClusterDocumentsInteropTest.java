package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.nats.SharedNats;
import dev.weft.redis.RedisTestSupport;
import dev.weft.store.postgres.PostgresTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One collaborative document edited through three Weft nodes (child processes) that share the machine's Redis,
 * then its NATS, and one Postgres document store ({@code docs.store: postgres}, a schema of this run's own,
 * dropped at the end): real y-websocket and {@code @hocuspocus/provider} clients of both dialects on every node
 * converge and see each other's awareness; one node is SIGKILLed while everyone edits, its clients' awareness
 * leaves the others' within 20 s, every edit of theirs that reached another client before the kill is in the
 * store, and once they reconnect to the surviving nodes everyone converges with every edit
 * ({@code node/collab/cluster.mjs} says what the clients do and check).
 */
class ClusterDocumentsInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final int KILLED = 2;
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final String NATS_URL = "nats://127.0.0.1:4222";

    @TempDir
    Path work;

    private final List<WeftProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void installClients() throws Exception {
        NodeScript.ensureInstalled();
    }

    @ParameterizedTest(name = "engine.type {0}")
    @ValueSource(strings = {"redis", "nats"})
    void documentsEditedOnSeveralNodesConvergeAndSurviveANodeKilled(String engine) throws Exception {
        String prefix = engine.equals("redis") ? RedisTestSupport.uniquePrefix()
                : "weftdocs-" + UUID.randomUUID().toString().substring(0, 8);
        String schema = PostgresTestSupport.uniqueSchema();
        try {
            run(engine, prefix, schema);
        } finally {
            for (WeftProcess node : nodes) {
                node.close();
            }
            if (engine.equals("redis")) {
                RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, prefix);
            } else {
                SharedNats.deletePrefix(NATS_URL, prefix);
            }
            PostgresTestSupport.dropSchema(schema);
        }
    }

    private void run(String engine, String prefix, String schema) throws Exception {
        startNodes(engine, prefix, schema);
        Map<String, String> env = new HashMap<>();
        env.put("YJS_URLS", nodes.stream().map(n -> "ws://127.0.0.1:" + n.port() + "/yjs")
                .collect(Collectors.joining(",")));
        env.put("HOCUSPOCUS_URLS", nodes.stream().map(n -> "ws://127.0.0.1:" + n.port() + "/hocuspocus")
                .collect(Collectors.joining(",")));
        env.put("COLLAB_TOKEN", InteropServer.connectionToken("alice"));
        // ASCII: y-websocket's room is the URL path as sent (percent-encoded), Hocuspocus's the name itself.
        env.put("COLLAB_ROOM", "cluster-" + System.nanoTime() + "/notes");
        env.put("KILL_NODE", String.valueOf(KILLED));
        env.put("WEFT_TIMEOUT_MS", String.valueOf(SCRIPT_TIMEOUT.minusSeconds(20).toMillis()));
        List<String> driverErrors = new CopyOnWriteArrayList<>();

        NodeScript.Result result = NodeScript.runScript("collab/cluster.mjs", env, SCRIPT_TIMEOUT, event -> {
            if (event.path("event").asText().equals("kill_node")) {
                try {
                    nodes.get(event.path("node").asInt()).kill();
                } catch (Exception | AssertionError e) {
                    driverErrors.add(e.toString());
                }
            }
        });

        assertThat(driverErrors).as("killing a node").isEmpty();
        assertThat(result.exitCode()).as("%s\n%s", result.transcript(), logTails()).isZero();
        JsonNode converged = result.requireEvent("converged");
        assertThat(converged.path("clients").asInt()).isEqualTo(2 * NODES);
        assertThat(converged.path("edits").asInt()).as("edits in the converged document").isEqualTo(2 * NODES * 30);
        result.requireEvent("awareness_shared");
        long ghostMs = result.requireEvent("ghosts_removed").path("ms").asLong();
        assertThat(ghostMs).as("the killed node's awareness gone from the others").isLessThan(20_000);
        JsonNode kept = result.requireEvent("kept_acknowledged");
        assertThat(kept.path("acknowledged").asInt()).isPositive();
        assertThat(kept.path("lost").asInt()).isZero();
        JsonNode reconverged = result.requireEvent("reconverged");
        assertThat(reconverged.path("edits").asInt()).isEqualTo(reconverged.path("made").asInt());
        result.requireEvent("done");
        System.out.printf("%s: %d edits; %d acknowledged edits of the killed node's clients kept (%d made), "
                        + "their awareness gone from the others %d ms after their connections dropped%n", engine,
                reconverged.path("edits").asInt(), kept.path("acknowledged").asInt(), kept.path("offline").asInt(),
                ghostMs);
    }

    private void startNodes(String engine, String prefix, String schema) throws Exception {
        try (ExecutorService starts = Executors.newFixedThreadPool(NODES)) {
            List<Future<WeftProcess>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                Path config = writeConfig(engine, prefix, schema, i);
                Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"),
                        "weft-docs-cluster-" + engine + "-node" + i + "-" + System.nanoTime() + ".log");
                started.add(starts.submit(() -> WeftProcess.start(config, log)));
            }
            for (Future<WeftProcess> f : started) {
                nodes.add(f.get(240, TimeUnit.SECONDS));
            }
        }
    }

    private Path writeConfig(String engine, String prefix, String schema, int node) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("client").putObject("token").put("hmac_secret_key", InteropServer.HMAC_SECRET);
        ObjectNode engineConfig = config.putObject("engine").put("type", engine);
        if (engine.equals("redis")) {
            // Three JVMs starting at once on a busy 2-core machine may take longer than the 1 s default to connect.
            engineConfig.putObject("redis").put("prefix", prefix).put("connect_timeout", "10s")
                    .putArray("address").add(RedisTestSupport.ADDRESS);
        } else {
            engineConfig.putObject("nats").put("url", NATS_URL).put("prefix", prefix);
        }
        config.putObject("channel").putArray("namespaces").addObject()
                .put("name", "docs")
                .put("allow_subscribe_for_client", true)
                .put("allow_publish_for_client", true);
        ObjectNode docs = config.putObject("docs").put("namespace", "docs").put("store", "postgres");
        docs.putObject("postgres").put("dsn", PostgresTestSupport.DSN).put("schema", schema);
        config.put("data_dir", work.resolve("node" + node).toString());
        Path file = work.resolve("weft-node" + node + ".json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return file;
    }

    private String logTails() {
        return nodes.stream().map(WeftProcess::logTail).collect(Collectors.joining("\n"));
    }
}
