package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.proxy.RecordingBackend;
import dev.weft.core.proxy.RecordingBackend.Answer;
import dev.weft.core.proxy.RecordingBackend.Received;
import dev.weft.server.WeftServer;
import dev.weft.server.config.ConfigLoader;
import dev.weft.yjs.update.ContentString;
import dev.weft.yjs.update.Item;
import dev.weft.yjs.update.Struct;
import dev.weft.yjs.update.UpdateFormat;
import dev.weft.yjs.update.Updates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Document webhooks ({@code docs.hooks}) with the real {@code y-websocket} and {@code @hocuspocus/provider}
 * clients ({@code node/collab/hooks.mjs}) against a Weft started from a config file whose hooks go to a real
 * HTTP backend that records every call: the backend's connect answers decide read-write, read-only and denied in
 * both dialects, its create answer (a Yjs update the real yjs made) is the new document's first state, and the
 * change and store calls carry updates that decode, with weft-yjs, to the seeded and the edited text.
 */
class DocumentHooksInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "interop-hook-secret";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    private final RecordingBackend backend = RecordingBackend.start();
    private final CompletableFuture<String> seed = new CompletableFuture<>();
    private WeftServer server;

    @BeforeAll
    static void installClients() throws Exception {
        NodeScript.ensureInstalled();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
        backend.close();
    }

    @Test
    void yWebsocketAndHocuspocusClientsAreAuthenticatedLoadedAndReportedThroughTheWebhooks(@TempDir Path dir)
            throws Exception {
        backend.on("/hooks", r -> {
            JsonNode body = json(r.body());
            return switch (body.path("event").asText()) {
                case "connect" -> switch (body.path("payload").path("token").asText()) {
                    case "rw" -> Answer.json("{}");
                    case "ro" -> Answer.json("{\"readOnly\":true}");
                    default -> Answer.status(403);
                };
                case "create" -> Answer.json("{\"update\":\"" + seed.orTimeout(10, TimeUnit.SECONDS).join() + "\"}");
                default -> Answer.json("");
            };
        });
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {
                  "http_server": {"address": "127.0.0.1", "port": 0},
                  "engine": {"type": "memory"},
                  "data_dir": "%s",
                  "docs": {
                    "store": "memory",
                    "unload_grace": "1s",
                    "hooks": {
                      "url": "%s",
                      "secret": "%s",
                      "events": ["connect", "create", "change", "store", "disconnect"],
                      "http_headers": ["Host"],
                      "change_debounce": "300ms",
                      "change_max_wait": "2s"
                    }
                  }
                }
                """.formatted(dir.resolve("data"), backend.url("/hooks"), SECRET));
        server = WeftServer.start(ConfigLoader.load(Optional.of(config), Map.of(), Map.of()).config());
        String prefix = "hooks-" + System.nanoTime();

        NodeScript.Result run = NodeScript.runScript("collab/hooks.mjs", Map.of(
                "YJS_URL", "ws://127.0.0.1:" + server.port() + "/yjs",
                "HOCUSPOCUS_URL", "ws://127.0.0.1:" + server.port() + "/hocuspocus",
                "HOOKS_ROOM", prefix,
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())), SCRIPT_TIMEOUT,
                event -> {
                    if (event.path("event").asText().equals("seed")) {
                        seed.complete(event.path("update").asText());
                    }
                });
        assertThat(run.exitCode()).as("hooks.mjs failed:%n%s", run.transcript()).isZero();

        List<JsonNode> calls = new ArrayList<>();
        for (String dialect : List.of("yjs", "hocuspocus")) {
            JsonNode edited = run.events("edited").stream().filter(e -> e.path("dialect").asText().equals(dialect))
                    .findFirst().orElseThrow();
            String room = prefix + "-" + dialect;
            Predicate<JsonNode> ofRoom = c -> c.path("payload").path("documentName").asText().equals(room);
            // The store call comes when the room unloads, a second after its last client left.
            await(calls, c -> ofRoom.test(c) && c.path("event").asText().equals("store"));
            List<JsonNode> connects = of(calls, room, "connect");
            assertThat(connects).extracting(c -> c.path("payload").path("token").asText())
                    .contains("mallory", "rw", "ro");
            assertThat(connects).allSatisfy(c -> {
                assertThat(c.path("payload").path("transport").asText()).isEqualTo(dialect);
                assertThat(c.path("payload").path("requestParameters").path("app").asText()).isEqualTo("hooks-interop");
                assertThat(c.path("payload").path("requestHeaders").properties()).extracting(Map.Entry::getKey)
                        .containsExactly("host");
            });
            assertThat(of(calls, room, "create")).as("one create for the clients that joined together").hasSize(1);
            List<String> expected = List.of(edited.path("seed").asText(), edited.path("edit").asText());
            // Changes are sent as the document changes; the one after the last edit holds all of it (store and
            // change are separate calls: either may come first).
            await(calls, c -> ofRoom.test(c) && c.path("event").asText().equals("change")
                    && sameTexts(c, expected));
            assertThat(texts(of(calls, room, "change").getLast()))
                    .as("the last change: the seed and the writer's edit, not the reader's")
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(texts(of(calls, room, "store").getLast())).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(of(calls, room, "disconnect")).as("the clients that were let in left").hasSizeGreaterThanOrEqualTo(3);
        }
    }

    /** Takes the backend's calls into {@code calls} (checking each one's signature) until one matches. */
    private void await(List<JsonNode> calls, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (calls.stream().noneMatch(wanted)) {
            assertThat(System.nanoTime()).as("a call the backend never received").isLessThan(deadline);
            Received r = backend.next("/hooks");
            assertThat(r.headers().get("x-hocuspocus-signature-256")).isEqualTo(signature(r.body()));
            calls.add(json(r.body()));
        }
    }

    private static List<JsonNode> of(List<JsonNode> calls, String room, String event) {
        return calls.stream().filter(c -> c.path("event").asText().equals(event)
                && c.path("payload").path("documentName").asText().equals(room)).toList();
    }

    /** The text each Yjs client inserted, per client in clock order, decoded by weft-yjs from the call's update. */
    private static List<String> texts(JsonNode call) throws Exception {
        byte[] update = Base64.getDecoder().decode(call.path("payload").path("update").asText());
        List<Struct> structs = new ArrayList<>(Updates.decode(update, UpdateFormat.V1).structs());
        structs.sort(Comparator.comparingLong(Struct::client).thenComparingLong(Struct::clock));
        Map<Long, StringBuilder> byClient = new TreeMap<>();
        for (Struct s : structs) {
            if (s instanceof Item item && item.content() instanceof ContentString string) {
                byClient.computeIfAbsent(s.client(), c -> new StringBuilder()).append(string.value());
            }
        }
        return byClient.values().stream().map(StringBuilder::toString).toList();
    }

    private static boolean sameTexts(JsonNode call, List<String> expected) {
        try {
            List<String> texts = texts(call);
            return texts.size() == expected.size() && texts.containsAll(expected);
        } catch (Exception e) {
            throw new AssertionError("a change whose update does not decode: " + call, e);
        }
    }

    private static String signature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
