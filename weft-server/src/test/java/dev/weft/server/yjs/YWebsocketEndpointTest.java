package dev.weft.server.yjs;

import dev.weft.core.docs.TextUpdates;
import dev.weft.core.docs.YjsVectors;
import dev.weft.server.WeftServer;
import dev.weft.server.docs.DocClient;
import dev.weft.server.docs.DocsServerFixture;
import dev.weft.server.config.DocsConfig;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.weft.core.docs.YjsVectors.update;
import static dev.weft.server.docs.DocumentFrames.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class YWebsocketEndpointTest {
    private static final byte[] NONE = new byte[0];
    private static final byte[] EMPTY_SV = {0};

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private DocClient client(String room, String user) {
        return DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/" + room + "?token="
                + DocsServerFixture.token(user));
    }

    private static byte[] step1(byte[] sv) {
        return sync(NONE, 0, sv);
    }

    private static byte[] updateFrame(byte[] update) {
        return sync(NONE, 2, update);
    }

    /** The payload of a sync message of {@code syncType}. */
    private static byte[] syncPayload(byte[] frame, int syncType) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).isZero();
        assertThat(in.readVarUint()).isEqualTo(syncType);
        return in.readVarUint8Array();
    }

    @Test
    void serverSendsStep1AnswersStep1AndRelaysUpdates() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient a = client("docs:r1", "ann"); DocClient b = client("docs:r1", "bob")) {
            assertThat(a.next()).isEqualTo(step1(EMPTY_SV));
            assertThat(b.next()).isEqualTo(step1(EMPTY_SV));

            a.send(updateFrame(update(0)));
            assertThat(b.next()).isEqualTo(updateFrame(update(0)));

            try (DocClient late = client("docs:r1", "cid")) {
                assertThat(late.next()).isEqualTo(step1(YjsVectors.stateAfterFirst()));
                late.send(step1(EMPTY_SV));
                assertThat(YUpdates.stateVector(syncPayload(late.next(), 1))).isEqualTo(YjsVectors.stateAfterFirst());
                b.send(sync(NONE, 1, update(1))); // a SyncStep2 is applied like an update
                assertThat(a.next()).isEqualTo(updateFrame(update(1)));
                assertThat(late.next()).isEqualTo(updateFrame(update(1)));
            }
        }
    }

    @Test
    void roomIsTheRawPathAfterThePrefix() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient a = client("docs:a%20b/c", "ann")) {
            a.next();
            assertThat(server.docs().rooms().loaded()).containsExactly("docs:a%20b/c");
        }
        assertThat(YWebsocketEndpoint.room("/yjs/x/y?token=1#f")).isEqualTo("x/y");
        assertThat(YWebsocketEndpoint.room("/yjs/")).isEmpty();
    }

    @Test
    void awarenessIsRelayedQueriedAndRemovedOnClose() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        byte[] state = new Lib0Writer().writeVarUint(1).writeVarUint(42).writeVarUint(1)
                .writeVarString("{\"user\":\"ann\"}").toByteArray();
        byte[] awareness = new Lib0Writer().writeVarUint(1).writeVarUint8Array(state).toByteArray();
        try (DocClient b = client("docs:aw", "bob")) {
            b.next();
            try (DocClient a = client("docs:aw", "ann")) {
                a.next();
                a.send(awareness);
                assertThat(b.next()).isEqualTo(awareness);
                b.send(new byte[]{3});
                assertThat(b.next()).isEqualTo(awareness);
                try (DocClient c = client("docs:aw", "cid")) {
                    c.next(); // SyncStep1
                    assertThat(c.next()).isEqualTo(awareness);
                }
            }
            byte[] removal = new Lib0Writer().writeVarUint(1).writeVarUint8Array(new Lib0Writer().writeVarUint(1)
                    .writeVarUint(42).writeVarUint(2).writeVarString("null").toByteArray()).toByteArray();
            assertThat(b.next()).isEqualTo(removal);
        }
    }

    @Test
    void badOrMissingTokenIsDeniedWith4401AndAForbiddenRoomWith4403() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        String base = "ws://127.0.0.1:" + server.port() + "/yjs/";
        try (DocClient forged = DocClient.connect(base + "docs:x?token=not.a.token");
             DocClient none = DocClient.connect(base + "docs:x");
             DocClient forbidden = client("closed-room", "ann")) {
            assertPermissionDenied(forged.next());
            assertThat(forged.awaitClose().code()).isEqualTo(4401);
            assertThat(none.awaitClose().code()).isEqualTo(4401);
            assertPermissionDenied(forbidden.next());
            assertThat(forbidden.awaitClose().code()).isEqualTo(4403);
        }
        try (DocClient bearer = DocClient.connect(base + "docs:x",
                Map.of("Authorization", "Bearer " + DocsServerFixture.token("ann")))) {
            assertThat(bearer.next()).isEqualTo(step1(EMPTY_SV));
        }
    }

    private static void assertPermissionDenied(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).isEqualTo(2);
        assertThat(in.readVarUint()).isZero();
        assertThat(in.readVarString()).isNotEmpty();
    }

    @Test
    void revokedTokenEndsTheConnectionWith4401() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient a = DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/docs:rv?token="
                + DocsServerFixture.token("ann", Map.of("jti", "rv-1")))) {
            a.next();
            server.node().tokenRevocations().revokeToken("rv-1", 0);
            assertThat(a.awaitClose().code()).isEqualTo(4401);
        }
    }

    @Test
    void readOnlyClientsUpdatesAreDroppedAndNeverRelayed() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        server.docs().rooms().apply("view:r", update(0));
        try (DocClient reader = client("view:r", "ann"); DocClient other = client("view:r", "bob")) {
            assertThat(reader.next()).isEqualTo(step1(YjsVectors.stateAfterFirst()));
            other.next();

            reader.send(updateFrame(update(1)));
            assertPermissionDenied(reader.next());
            reader.send(updateFrame(update(1)));
            reader.send(step1(YjsVectors.stateAfterFirst())); // answered after the update was handled
            syncPayload(reader.next(), 1);
            assertThat(reader.pending()).isZero();

            assertThat(YUpdates.stateVector(server.docs().rooms().document("view:r")))
                    .isEqualTo(YjsVectors.stateAfterFirst());
            assertThat(other.pending()).isZero();
            assertThat(reader.isClosed()).isFalse();
        }
    }

    @Test
    void malformedMessageClosesItsConnectionOnly() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient bad = client("docs:m", "ann"); DocClient truncated = client("docs:m", "eve");
             DocClient good = client("docs:m", "bob")) {
            bad.next();
            truncated.next();
            good.next();
            bad.send(new byte[]{7});
            truncated.send(new byte[]{0, 2, 9, 1});
            assertThat(bad.awaitClose().code()).isEqualTo(1007);
            assertThat(truncated.awaitClose().code()).isEqualTo(1007);
            assertThat(server.refusals().count("docs.malformed")).isEqualTo(2);

            try (DocClient writer = client("docs:m", "cid")) {
                writer.next();
                writer.send(updateFrame(update(0)));
                assertThat(good.next()).isEqualTo(updateFrame(update(0)));
            }
        }
    }

    @Test
    void oversizedUpdateOrFrameClosesWith1009() {
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxUpdateSize(1000));
        try (DocClient big = client("docs:big", "ann"); DocClient huge = client("docs:big", "bob")) {
            big.next();
            huge.next();
            big.send(updateFrame(update(3))); // 3 kB update, within the frame limit
            assertThat(big.awaitClose().code()).isEqualTo(1009);
            huge.send(updateFrame(new byte[8000])); // past the frame limit (update limit + 4 kB)
            assertThat(huge.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void updatesAndSyncRepliesLargerThanTheWriteQueueGoThroughWithDefaultLimits() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        byte[] offline = TextUpdates.insert(7, 0, "x".repeat(2 << 20)); // 2 MiB typed offline: one SyncStep2
        byte[] more = TextUpdates.insert(8, 0, "y".repeat(1 << 20));
        try (DocClient editor = client("docs:large", "ann"); DocClient reader = client("docs:large", "bob")) {
            editor.next();
            reader.next();
            editor.send(sync(NONE, 1, offline));
            assertThat(reader.next()).isEqualTo(updateFrame(offline));
            editor.send(updateFrame(more));
            assertThat(reader.next()).isEqualTo(updateFrame(more));
            assertThat(editor.isClosed()).isFalse();
        }
        try (DocClient fresh = client("docs:large", "cid")) {
            fresh.next();
            fresh.send(step1(EMPTY_SV));
            byte[] whole = syncPayload(fresh.next(), 1); // 3 MiB, three times client.queue_max_size
            assertThat(whole.length).isGreaterThan(3 << 20);
            assertThat(YUpdates.stateVector(whole)).isEqualTo(YUpdates.stateVector(YUpdates.merge(List.of(offline, more))));
        }
    }

    @Test
    void aBurstOfUpdatesIsHeldBackByReadingNotClosedAndEveryOneIsStoredAndRelayed(@TempDir Path data) throws Exception {
        server = DocsServerFixture.start(DocsConfig.DEFAULT, data);
        int count = 5_000;
        try (DocClient writer = client("docs:burst", "ann"); DocClient reader = client("docs:burst", "bob")) {
            writer.next();
            reader.next();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                writer.send(updateFrame(TextUpdates.keystroke(42, i)));
            }
            long sent = System.nanoTime();
            for (int i = 0; i < count; i++) {
                assertThat(reader.next()).isEqualTo(updateFrame(TextUpdates.keystroke(42, i)));
            }
            long relayed = System.nanoTime();
            System.out.printf("%d updates from one y-websocket client, SQLite store: sent at %.0f/s, all relayed "
                    + "at %.0f/s%n", count, count / ((sent - started) / 1e9), count / ((relayed - started) / 1e9));
            assertThat(writer.isClosed()).as("the fast writer is never closed").isFalse();
        }
        server.close(Duration.ofSeconds(2));
        server = DocsServerFixture.start(DocsConfig.DEFAULT, data);
        List<byte[]> all = IntStream.range(0, count).mapToObj(i -> TextUpdates.keystroke(42, i)).toList();
        try (DocClient fresh = client("docs:burst", "cid")) {
            assertThat(syncPayload(fresh.next(), 0)).as("every update stored")
                    .isEqualTo(YUpdates.stateVector(YUpdates.merge(all)));
        }
    }

    @Test
    void documentsSurviveARestartWithTheSqliteStore(@TempDir Path data) throws Exception {
        DocsConfig docs = DocsConfig.DEFAULT;
        server = DocsServerFixture.start(docs, data);
        try (DocClient a = client("docs:keep", "ann")) {
            a.next();
            a.send(updateFrame(update(0)));
            a.send(updateFrame(update(1)));
            a.send(step1(EMPTY_SV)); // answered after both updates were stored
            syncPayload(a.next(), 1);
        }
        await().until(() -> server.docs().store().documents().contains("docs:keep"));
        server.close(Duration.ofSeconds(2));

        server = DocsServerFixture.start(docs, data);
        try (DocClient b = client("docs:keep", "bob")) {
            // updates 0 and 1 have the state vector of 0..2 (2 only deletes)
            assertThat(syncPayload(b.next(), 0)).isEqualTo(YjsVectors.stateAfter3());
        }
    }
}
