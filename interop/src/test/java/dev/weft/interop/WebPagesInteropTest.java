package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.config.WebConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled pages in a real browser: headless Chromium (the system browser, driven by playwright-core)
 * opens the admin UI and the demos the server serves from its jar, with {@code admin.enabled} and
 * {@code demo.enabled}. Each scenario under {@code node/web/} checks itself and prints result lines this
 * class checks again; screenshots go to {@code target/web-screenshots/}.
 */
class WebPagesInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of(System.getProperty("weft.interop.chromium", "/usr/bin/chromium"));
    private static final String ADMIN_PASSWORD = "interop-admin-password";

    private static InteropServer server;

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: install it with `apt-get install -y chromium` (.ci/run does)", CHROMIUM).isTrue();
        NodeScript.ensureInstalled();
        server = InteropServer.start(InteropServer.config().withWeb(
                new WebConfig(true, ADMIN_PASSWORD, "interop-admin-secret-0123456789", true)));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void adminLoginIsThrottledAndTheUiShowsLiveDataPublishesAndDisconnectsARealClient() throws Exception {
        NodeScript.Result run = runScenario("web/admin.mjs");

        JsonNode admin = run.requireEvent("admin");
        admin.path("anonymous").forEach(status -> assertThat(status.asInt()).isEqualTo(401));
        assertThat(admin.path("anonymous").size()).isEqualTo(5);
        assertThat(NodeScript.longs(admin.path("statuses"))).containsExactly(401L, 401L, 401L, 401L, 429L, 429L);
        assertThat(admin.path("throttledRight").asInt()).isEqualTo(429);
        assertThat(admin.path("disconnectCode").asInt()).as("force disconnect").isEqualTo(3503);
        assertThat(admin.path("downloadedBytes").asInt()).isPositive();
        assertThat(server.node().connections("alice", 10)).as("the disconnected client is gone").isEmpty();
        assertScreenshots("admin-throttled", "admin-overview", "admin-console", "admin-channels",
                "admin-connections", "admin-documents");
    }

    @Test
    void twoBrowsersChatSeeEachOtherOnlineAndTyping() throws Exception {
        NodeScript.Result run = runScenario("web/chat.mjs");

        JsonNode chat = run.requireEvent("chat");
        for (String page : List.of("annOnline", "bobOnline")) {
            assertThat(chat.path(page).toString()).contains("\"Ann\"", "\"Bob\"");
        }
        for (String page : List.of("annMessages", "bobMessages")) {
            assertThat(chat.path(page).toString()).contains("Ann: hello Bob", "Bob: hi Ann");
        }
        assertThat(chat.path("typingSeen").asText()).isEqualTo("Ann is typing…");
        assertScreenshots("chat-typing", "chat-ann", "chat-bob");
    }

    @Test
    void twoBrowsersEditTheTableConvergeAcrossOfflineEditsAndUndoOnlyTheirOwn() throws Exception {
        NodeScript.Result run = runScenario("web/collab.mjs");

        JsonNode collab = run.requireEvent("collab");
        assertThat(collab.path("ann")).isEqualTo(collab.path("bob")).isEqualTo(collab.path("expected"));
        assertThat(collab.path("ann").path("3,3").asText()).as("the offline edit").isEqualTo("offline-b");
        assertThat(collab.path("ann").path("5,0").asText()).as("Ann's redone edit").isEqualTo("undo-me");
        assertThat(collab.path("ann").has("5,1")).as("Bob's undone edit").isFalse();
        String room = collab.path("room").asText();
        assertThat(server.docs().rooms().loadedDocuments()).as("the room is a document on the server")
                .containsKey(room);
        assertScreenshots("collab-cursor", "collab-offline", "collab-ann", "collab-bob");
    }

    private static void assertScreenshots(String... names) throws Exception {
        for (String name : names) {
            Path png = screenshotDir().resolve(name + ".png");
            assertThat(Files.size(png)).as("screenshot %s", png).isGreaterThan(1000);
            assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    private static Path screenshotDir() {
        return Path.of(System.getProperty("weft.interop.targetDir", "target")).toAbsolutePath()
                .resolve("web-screenshots");
    }

    private static NodeScript.Result runScenario(String script) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "WEFT_BASE_URL", server.baseUrl(),
                "WEFT_URL", server.websocketUrl(),
                "WEFT_API_URL", server.apiUrl(),
                "WEFT_API_KEY", InteropServer.API_KEY,
                "WEFT_TOKEN", InteropServer.connectionToken("alice"),
                "WEFT_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "WEFT_SCREENSHOT_DIR", screenshotDir().toString(),
                "WEFT_CHROMIUM", CHROMIUM.toString(),
                "WEFT_CHANNEL_SUFFIX", Long.toString(System.nanoTime()),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())));
        NodeScript.Result run = NodeScript.runScript(script, env, SCRIPT_TIMEOUT);
        if (run.exitCode() != 0) {
            System.err.println(run.transcript());
        } else {
            System.out.print("--- " + script + " result lines\n" + run.stdout());
        }
        assertThat(run.exitCode()).as("%s failed:%n%s", script, run.transcript()).isZero();
        run.requireEvent("done");
        return run;
    }
}
