package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collaborative editing end to end with the real npm clients ({@code y-websocket} 3.1.0 on {@code /yjs/<room>},
 * {@code @hocuspocus/provider} 4.8.0 on {@code /hocuspocus}) against Weft running as a child JVM with the SQLite
 * document store in a temporary data directory. The scenarios ({@code node/collab/}) make random concurrent
 * edits with dropped connections and check convergence; when they print {@code kill_server} this test kills
 * Weft with SIGKILL, and when they print {@code start_server} it starts Weft again on the same port and data,
 * after which a fresh client must find every acknowledged edit (see the scenarios for the exact definition).
 *
 * <p>Documents live in namespace {@code docs} ({@code docs.namespace}): any authenticated user may read and
 * write, an anonymous token (empty {@code sub}) may only read.
 */
class CollabInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;
    private WeftProcess weft;

    @BeforeAll
    static void installClients() throws Exception {
        NodeScript.ensureInstalled();
    }

    @AfterEach
    void stopWeft() throws Exception {
        if (weft != null) {
            weft.close();
        }
    }

    @Test
    void yWebsocketProvidersConvergeAndNoAcknowledgedEditIsLostWhenWeftIsKilled() throws Exception {
        startWeft();

        NodeScript.Result run = runScenario("collab/y-websocket.mjs",
                Map.of("YJS_URL", "ws://127.0.0.1:" + weft.port() + "/yjs"));

        JsonNode converged = run.requireEvent("converged");
        assertThat(converged.path("clients").asInt()).isEqualTo(5);
        assertThat(converged.path("drops").asInt()).as("connections dropped while editing").isPositive();
        assertThat(converged.path("edits").asInt()).as("edits in the converged document").isGreaterThanOrEqualTo(5 * 60);
        assertThat(run.requireEvent("fresh_client_matched").path("stateVector").asText())
                .isEqualTo(converged.path("stateVector").asText());
        JsonNode kept = run.requireEvent("restart_kept_acknowledged");
        assertThat(kept.path("acknowledged").asInt()).as("edits acknowledged before the kill")
                .isGreaterThan(converged.path("edits").asInt());
        assertThat(kept.path("lost").asInt()).isZero();
        assertThat(run.requireEvent("reconverged").path("edits").asInt())
                .isEqualTo(run.requireEvent("start_server").path("made").asInt());
        run.requireEvent("done");
        assertThat(work.resolve("data/documents.db")).as("the SQLite document store file").isNotEmptyFile();
    }

    @Test
    void hocuspocusProvidersShareOneSocketPerUserConvergeAndKeepAcknowledgedEditsWhenWeftIsKilled() throws Exception {
        startWeft();

        NodeScript.Result run = runScenario("collab/hocuspocus.mjs", Map.of(
                "HOCUSPOCUS_URL", "ws://127.0.0.1:" + weft.port() + "/hocuspocus",
                "COLLAB_READONLY_TOKEN", InteropServer.connectionToken(""),
                "COLLAB_BAD_TOKEN", tokenSignedWithAnotherKey("mallory")));

        assertThat(run.requireEvent("denied").path("reason").asText()).isNotEmpty();
        run.requireEvent("readonly_authenticated");
        JsonNode converged = run.requireEvent("converged");
        assertThat(converged.path("users").asInt()).isEqualTo(5);
        assertThat(converged.path("documents").asInt()).isEqualTo(3);
        assertThat(converged.path("readOnlyEdits").asInt()).as("edits the read-only user tried").isPositive();
        run.requireEvent("fresh_client_matched");
        JsonNode start = run.requireEvent("start_server");
        assertThat(start.path("confirmedBySyncStatus").asInt()).as("edits Weft confirmed with SyncStatus").isPositive();
        JsonNode kept = run.requireEvent("restart_kept_acknowledged");
        assertThat(kept.path("acknowledged").asInt()).isEqualTo(start.path("acknowledged").asInt());
        assertThat(kept.path("lost").asInt()).isZero();
        assertThat(run.requireEvent("reconverged").path("edits").asInt()).isEqualTo(start.path("made").asInt());
        run.requireEvent("done");
        assertThat(work.resolve("data/documents.db")).as("the SQLite document store file").isNotEmptyFile();
    }

    /**
     * With the default limits only: a 3 MiB document (its sync reply three times {@code client.queue_max_size})
     * opens fresh in both dialects, and 2 MiB of offline edits (one SyncStep2 twice the old frame limit) reach a
     * client of the other dialect, the offline client never closed.
     */
    @Test
    void largeDocumentsOpenAndLargeOfflineEditsSyncInBothDialectsWithDefaultLimits() throws Exception {
        startWeft();

        NodeScript.Result run = runScenario("collab/large.mjs", Map.of(
                "YJS_URL", "ws://127.0.0.1:" + weft.port() + "/yjs",
                "HOCUSPOCUS_URL", "ws://127.0.0.1:" + weft.port() + "/hocuspocus",
                "LARGE_ROOM", "large-" + System.nanoTime()));

        System.out.println(run.events());
        assertThat(run.events("large_document_opened")).extracting(e -> e.path("dialect").asText())
                .containsExactly("y-websocket", "hocuspocus");
        assertThat(run.events("large_document_opened")).allSatisfy(e ->
                assertThat(e.path("characters").asInt()).isEqualTo(3 * 1024 * 1024));
        assertThat(run.events("offline_edits_synced")).extracting(e -> e.path("dialect").asText())
                .containsExactly("y-websocket", "hocuspocus");
        assertThat(run.events("offline_edits_synced")).allSatisfy(e -> {
            assertThat(e.path("characters").asInt()).isEqualTo(2 * 1024 * 1024);
            assertThat(e.path("editorCloses").asInt()).isZero();
        });
        run.requireEvent("done");
    }

    /**
     * A client writing 3 000 updates/s for 3 s, in each dialect: the room stores them in batches and the socket
     * holds the writer back instead of closing it; the other client receives every update.
     */
    @Test
    void fastWriterIsHeldBackNotClosedAndLosesNothingInBothDialects() throws Exception {
        startWeft();

        for (String dialect : List.of("y-websocket", "hocuspocus")) {
            NodeScript.Result run = runScenario("collab/fast-writer.mjs", Map.of(
                    "FAST_DIALECT", dialect,
                    "YJS_URL", "ws://127.0.0.1:" + weft.port() + "/yjs",
                    "HOCUSPOCUS_URL", "ws://127.0.0.1:" + weft.port() + "/hocuspocus",
                    "FAST_RATE", "3000", "FAST_SECONDS", "3"));

            JsonNode fast = run.requireEvent("fast_writer");
            System.out.println("fast writer: " + fast);
            assertThat(fast.path("dialect").asText()).isEqualTo(dialect);
            assertThat(fast.path("updates").asInt()).isEqualTo(9000);
            assertThat(fast.path("writerCloses").asInt()).isZero();
            run.requireEvent("done");
        }
    }

    /** A well-formed HS256 connection JWT that Weft's secret does not verify. */
    private static String tokenSignedWithAnotherKey(String user) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(user)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .build());
        jwt.sign(new MACSigner("not-the-weft-secret-but-just-as-long-as-it-must-be".getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private void startWeft() throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("client").putObject("token").put("hmac_secret_key", InteropServer.HMAC_SECRET);
        ObjectNode docs = config.putObject("channel").putArray("namespaces").addObject();
        docs.put("name", "docs")
                .put("allow_subscribe_for_client", true)
                .put("allow_subscribe_for_anonymous", true)
                .put("allow_publish_for_client", true);
        config.putObject("docs")
                .put("namespace", "docs")
                .put("store", "sqlite");
        config.put("data_dir", work.resolve("data").toString());
        Path file = work.resolve("weft.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"), "weft-collab-" + System.nanoTime() + ".log");
        weft = WeftProcess.start(file, log);
    }

    /** Runs a scenario with restarts enabled, killing and starting Weft when it asks. */
    private NodeScript.Result runScenario(String script, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("COLLAB_TOKEN", InteropServer.connectionToken("alice"));
        env.put("COLLAB_RESTART", "1");
        env.put("COLLAB_ROOM", "room-" + System.nanoTime() + "/ünï-😀");
        env.put("WEFT_TIMEOUT_MS", String.valueOf(SCRIPT_TIMEOUT.minusSeconds(20).toMillis()));
        List<String> driverErrors = new CopyOnWriteArrayList<>();
        Consumer<JsonNode> driver = event -> {
            try {
                switch (event.path("event").asText()) {
                    case "kill_server" -> weft.kill();
                    case "start_server" -> weft.start();
                    default -> { }
                }
            } catch (Exception | AssertionError e) {
                driverErrors.add(e.toString());
            }
        };
        NodeScript.Result run = NodeScript.runScript(script, env, SCRIPT_TIMEOUT, driver);
        assertThat(driverErrors).as("killing/starting Weft\n%s", weft.logTail()).isEmpty();
        assertThat(run.exitCode()).as("%s\n%s", run.transcript(), weft.logTail()).isZero();
        return run;
    }
}
