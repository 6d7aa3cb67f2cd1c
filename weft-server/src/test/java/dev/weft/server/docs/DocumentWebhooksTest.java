package dev.weft.server.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.docs.TextUpdates;
import dev.weft.core.proxy.RecordingBackend;
import dev.weft.core.proxy.RecordingBackend.Answer;
import dev.weft.core.proxy.RecordingBackend.Received;
import dev.weft.server.WeftServer;
import dev.weft.server.config.DocsConfig;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.update.ContentString;
import dev.weft.yjs.update.Item;
import dev.weft.yjs.update.Struct;
import dev.weft.yjs.update.UpdateFormat;
import dev.weft.yjs.update.Updates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;

import static dev.weft.server.docs.DocumentFrames.sync;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs.hooks} against a real HTTP backend that records what it receives, with y-websocket clients: the
 * connect hook decides access and fails closed, the create hook seeds a new document once, change is debounced
 * and carries the whole state, store follows the unload, and a slow backend never holds up editing.
 */
class DocumentWebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hook-secret";
    private static final byte[] NONE = new byte[0];

    private final RecordingBackend backend = RecordingBackend.start();
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        backend.close();
    }

    private void start(DocsConfig.Hooks hooks, Duration unloadGrace) {
        server = DocsServerFixture.start(DocsServerFixture.memory().withUnloadGrace(unloadGrace)
                .withHooks(hooks.withUrl(backend.url("/hooks").toString()).withSecret(SECRET)));
    }

    /** The backend answers each event as {@code answers} says ({@code {}} for the others). */
    private void answer(Map<String, Function<JsonNode, Answer>> answers) {
        backend.on("/hooks", r -> answers.getOrDefault(event(r), p -> Answer.json("{}")).apply(payload(r)));
    }

    private DocClient client(String room, String token) {
        return DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/" + room + "?token=" + token + "&app=notes",
                Map.of("X-App", "notes-web", "X-Secret-Header", "not for the backend"));
    }

    @Test
    void connectHookDecidesReadWriteReadOnlyOrDeniedAndFailsClosed() throws Exception {
        start(DocsConfig.Hooks.DEFAULT.withEvents(List.of("connect")).withHttpHeaders(List.of("X-App"))
                .withTimeout(Duration.ofMillis(300)), Duration.ofHours(1));
        answer(Map.of("connect", p -> switch (p.path("token").asText()) {
            case "rw" -> Answer.status(204); // Hocuspocus backends may answer without a body
            case "ro" -> Answer.json("{\"readOnly\":true}");
            case "no" -> Answer.json("{\"access\":\"denied\"}");
            case "who" -> Answer.json("{\"access\":\"unauthorized\"}");
            case "down" -> Answer.status(500);
            case "garbage" -> Answer.json("<html>oops</html>");
            case "slow" -> Answer.json("{}").after(Duration.ofSeconds(2));
            default -> Answer.status(0);
        }));

        try (DocClient writer = client("docs:c", "rw"); DocClient reader = client("docs:c", "ro")) {
            assertThat(syncType(writer.next())).as("the writer is in: SyncStep1").isZero();
            assertThat(syncType(reader.next())).as("the reader is in: SyncStep1").isZero();
            Received connect = backend.next("/hooks");
            JsonNode payload = payload(connect);
            assertThat(event(connect)).isEqualTo("connect");
            assertThat(payload.path("documentName").asText()).isEqualTo("docs:c");
            assertThat(payload.path("transport").asText()).isEqualTo("yjs");
            assertThat(payload.path("requestParameters").path("app").asText()).isEqualTo("notes");
            assertThat(payload.path("requestHeaders").properties()).extracting(Map.Entry::getKey)
                    .containsExactly("x-app");
            assertThat(connect.headers().get("x-hocuspocus-signature-256")).isEqualTo(signature(connect.body()));

            reader.send(sync(NONE, 2, TextUpdates.insert(5, 0, "from the reader")));
            assertThat(authReason(reader.next())).startsWith("read-only");
            writer.send(sync(NONE, 2, TextUpdates.insert(6, 0, "from the writer")));
            assertThat(reader.next()).as("the read-only client still receives")
                    .isEqualTo(sync(NONE, 2, TextUpdates.insert(6, 0, "from the writer")));
            assertThat(writer.pending()).as("nothing of the reader's reached the writer").isZero();

            for (String token : List.of("no", "who", "down", "garbage", "slow", "dropped")) {
                try (DocClient refused = client("docs:c", token)) {
                    assertThat(authReason(refused.next())).as(token).isIn("forbidden", "unauthorized");
                    assertThat(refused.awaitClose().code()).as(token).isEqualTo(token.equals("who") ? 4401 : 4403);
                }
            }
            writer.send(sync(NONE, 2, TextUpdates.insert(6, 15, "!")));
            assertThat(reader.next()).as("the refusals touched nobody else")
                    .isEqualTo(sync(NONE, 2, TextUpdates.insert(6, 15, "!")));
        }
    }

    @Test
    void createHookSeedsANewDocumentOnceForPeersJoiningTogetherAndAFailedLoadOpensNothing() throws Exception {
        start(DocsConfig.Hooks.DEFAULT.withEvents(List.of("create")), Duration.ofHours(1));
        byte[] seed = TextUpdates.insert(9, 0, "seeded by the backend");
        AtomicReference<Answer> create = new AtomicReference<>(Answer.status(503));
        answer(Map.of("create", p -> create.get()));

        try (DocClient early = client("docs:new", DocsServerFixture.token("ann"))) {
            assertThat(authReason(early.next())).contains("create hook");
            assertThat(early.awaitClose().code()).as("a failed load refuses, it does not open the document empty")
                    .isEqualTo(1011);
        }
        assertThat(event(backend.next("/hooks"))).isEqualTo("create");

        create.set(Answer.json("{\"update\":\"" + Base64.getEncoder().encodeToString(seed) + "\"}")
                .after(Duration.ofMillis(300)));
        List<CompletableFuture<byte[]>> firstMessages = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try (DocClient c = client("docs:new", DocsServerFixture.token("user" + i))) {
                        return c.next();
                    }
                })).toList();
        for (CompletableFuture<byte[]> first : firstMessages) {
            assertThat(first.join()).isEqualTo(sync(NONE, 0, YUpdates.stateVector(seed)));
        }
        Received load = backend.next("/hooks");
        assertThat(payload(load).path("documentName").asText()).isEqualTo("docs:new");
        try (DocClient later = client("docs:new", DocsServerFixture.token("bob"))) {
            later.next();
            later.send(sync(NONE, 0, new byte[]{0}));
            byte[] answer = later.next();
            assertThat(text(syncPayload(answer))).containsEntry(9L, "seeded by the backend");
        }
        assertThat(backend.pending()).as("one create call for every peer that joined").isZero();
        assertThat(server.docs().store().load("docs:new").updates()).as("the seed is stored").hasSize(1);
    }

    @Test
    void changeIsDebouncedWithTheWholeStateAndStoreFollowsTheUnload() throws Exception {
        start(DocsConfig.Hooks.DEFAULT.withEvents(List.of("change", "store"))
                .withChangeDebounce(Duration.ofMillis(300)).withChangeMaxWait(Duration.ofSeconds(5)), Duration.ZERO);
        answer(Map.of());
        try (DocClient a = client("docs:typed", DocsServerFixture.token("ann"))) {
            a.next();
            for (int i = 0; i < 5; i++) {
                a.send(sync(NONE, 2, TextUpdates.keystroke(3, i)));
            }
            Received change = backend.next("/hooks");
            assertThat(event(change)).isEqualTo("change");
            assertThat(change.headers().get("x-hocuspocus-signature-256")).isEqualTo(signature(change.body()));
            assertThat(payload(change).path("documentName").asText()).isEqualTo("docs:typed");
            assertThat(text(update(change))).as("one change for the burst, with all of it")
                    .containsExactly(Map.entry(3L, "01234"));
        }
        Received store = backend.next("/hooks");
        assertThat(event(store)).isEqualTo("store");
        assertThat(text(update(store))).containsExactly(Map.entry(3L, "01234"));
    }

    @Test
    void storeFollowsACompactionWhileTheDocumentStaysOpen() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory().withCompactAfter(3)
                .withHooks(DocsConfig.Hooks.DEFAULT.withEvents(List.of("store"))
                        .withUrl(backend.url("/hooks").toString())));
        answer(Map.of());
        try (DocClient a = client("docs:compacted", DocsServerFixture.token("ann"))) {
            a.next();
            for (int i = 0; i < 3; i++) {
                a.send(sync(NONE, 2, TextUpdates.keystroke(2, i)));
            }
            Received store = backend.next("/hooks");
            assertThat(event(store)).isEqualTo("store");
            assertThat(store.headers()).as("no secret, no signature").doesNotContainKey("x-hocuspocus-signature-256");
            assertThat(text(update(store))).containsExactly(Map.entry(2L, "012"));
            assertThat(server.docs().store().load("docs:compacted").updates()).as("compacted").hasSize(1);
        }
    }

    @Test
    void aSlowBackendNeverHoldsUpEditingAndAFailedChangeIsRetriedThenDropped() throws Exception {
        start(DocsConfig.Hooks.DEFAULT.withEvents(List.of("change")).withTimeout(Duration.ofMillis(200))
                .withChangeDebounce(Duration.ofMillis(50)).withChangeMaxWait(Duration.ofMillis(50)), Duration.ofHours(1));
        answer(Map.of("change", p -> Answer.json("{}").after(Duration.ofSeconds(1))));
        try (DocClient a = client("docs:busy", DocsServerFixture.token("ann"));
             DocClient b = client("docs:busy", DocsServerFixture.token("bob"))) {
            a.next();
            b.next();
            a.send(sync(NONE, 2, TextUpdates.keystroke(4, 0)));
            assertThat(b.next()).isEqualTo(sync(NONE, 2, TextUpdates.keystroke(4, 0)));
            List<Received> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(backend.next("/hooks"));
            }
            for (int i = 1; i < 20; i++) {
                a.send(sync(NONE, 2, TextUpdates.keystroke(4, i)));
                assertThat(b.next()).isEqualTo(sync(NONE, 2, TextUpdates.keystroke(4, i)));
            }
            assertThat(calls).as("the first change, called three times (1 + 2 retries)")
                    .extracting(Received::body).containsOnly(calls.getFirst().body());
            String all = IntStream.range(0, 20).mapToObj(i -> String.valueOf(i % 10)).reduce("", String::concat);
            // Later changes carry the whole document as it was when sent: growing prefixes, up to all of it.
            String seen = "";
            while (!seen.equals(all)) {
                String next = text(update(backend.next("/hooks"))).get(4L);
                assertThat(all).startsWith(next);
                assertThat(next.length()).isGreaterThanOrEqualTo(seen.length());
                seen = next;
            }
        }
    }

    @Test
    void hooksCoverOnlyTheNamespacesTheyAreSetFor() throws Exception {
        start(DocsConfig.Hooks.DEFAULT.withEvents(List.of("connect", "change")).withNamespaces(List.of("docs"))
                .withChangeDebounce(Duration.ofMillis(50)).withChangeMaxWait(Duration.ofMillis(50)), Duration.ofHours(1));
        answer(Map.of("connect", p -> Answer.json("{\"access\":\"denied\"}")));
        try (DocClient outside = client("view:x", DocsServerFixture.token("ann"))) {
            assertThat(syncType(outside.next())).as("namespace view: the token decides, no hook").isZero();
            outside.send(sync(NONE, 2, TextUpdates.insert(8, 0, "read-only by the namespace")));
            assertThat(authReason(outside.next())).startsWith("read-only");
        }
        try (DocClient inside = client("docs:x", DocsServerFixture.token("ann"))) {
            assertThat(authReason(inside.next())).isEqualTo("forbidden");
        }
        Received only = backend.next("/hooks");
        assertThat(payload(only).path("documentName").asText()).isEqualTo("docs:x");
        assertThat(backend.pending()).isZero();
    }

    private static String event(Received r) {
        return read(r.body()).path("event").asText();
    }

    private static JsonNode payload(Received r) {
        return read(r.body()).path("payload");
    }

    private static byte[] update(Received r) {
        return Base64.getDecoder().decode(payload(r).path("update").asText());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static String signature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static int syncType(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).isZero();
        return (int) in.readVarUint();
    }

    private static byte[] syncPayload(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        in.readVarUint();
        in.readVarUint();
        return in.readVarUint8Array();
    }

    /** The reason of y-protocols' auth "permission denied" message. */
    private static String authReason(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).as("an auth message").isEqualTo(2);
        assertThat(in.readVarUint()).isZero();
        return in.readVarString();
    }

    /** The text each client inserted, in clock order: what the update holds, decoded by weft-yjs. */
    static Map<Long, String> text(byte[] update) throws Exception {
        Map<Long, StringBuilder> byClient = new TreeMap<>();
        List<Struct> structs = new ArrayList<>(Updates.decode(update, UpdateFormat.V1).structs());
        structs.sort(Comparator.comparingLong(Struct::client).thenComparingLong(Struct::clock));
        for (Struct s : structs) {
            if (s instanceof Item item && item.content() instanceof ContentString string) {
                byClient.computeIfAbsent(s.client(), c -> new StringBuilder()).append(string.value());
            }
        }
        Map<Long, String> out = new TreeMap<>();
        byClient.forEach((client, text) -> out.put(client, text.toString()));
        return out;
    }
}
