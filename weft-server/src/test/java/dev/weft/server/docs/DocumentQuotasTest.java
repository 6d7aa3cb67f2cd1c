package dev.weft.server.docs;

import dev.weft.server.WeftServer;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.core.docs.YjsVectors.update;
import static dev.weft.server.docs.DocumentFrames.sync;
import static dev.weft.server.docs.DocumentStoreFaultsTest.permissionDeniedReason;
import static org.assertj.core.api.Assertions.assertThat;

/** How many documents a connection holds, how many bytes a node keeps loaded and a namespace stores; real sockets. */
class DocumentQuotasTest {
    private static final byte[] EMPTY_SV = {0};
    /** The 3000-character map value: the big document of the test vectors. */
    private static final byte[] BIG = update(3);

    private WeftServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void oneHocuspocusSocketOpensAtMostChannelLimitDocumentsAndKeepsTheOnesItHas() throws Exception {
        int limit = 3;
        server = DocsServerFixture.start(DocsServerFixture.memory(), client -> client.channelLimit(limit));
        long heapBefore = usedHeap();
        try (DocClient c = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
            for (int i = 0; i < limit; i++) {
                c.send(auth("docs:d" + i));
                assertThat(authReply(c.next(), "docs:d" + i)).isEqualTo(2); // Authenticated
            }
            List<String> reasons = new ArrayList<>();
            for (int i = limit; i < limit + 100; i++) {
                c.send(auth("docs:d" + i));
                Lib0Reader denied = new Lib0Reader(c.next());
                assertThat(denied.readVarString()).isEqualTo("docs:d" + i);
                assertThat(denied.readVarUint()).isEqualTo(2);
                assertThat(denied.readVarUint()).as("PermissionDenied").isEqualTo(1);
                reasons.add(denied.readVarString());
            }
            System.out.printf("%d documents asked for on one socket, %d open, %d refused; rooms loaded %d (%d bytes);"
                            + " heap used %d MiB before, %d MiB after%n", limit + 100, limit, reasons.size(),
                    server.docs().rooms().loaded().size(), server.docs().rooms().loadedBytes(),
                    heapBefore >> 20, usedHeap() >> 20);
            assertThat(reasons).allSatisfy(r -> assertThat(r).isEqualTo(
                    "too many documents: this connection has 3 documents open, client.channel_limit is 3"));
            assertThat(server.refusals().count("docs.document_limit")).isEqualTo(100);
            assertThat(server.docs().rooms().loaded()).containsExactlyInAnyOrder("docs:d0", "docs:d1", "docs:d2");

            c.send(sync(prefix("docs:d0"), 2, update(0))); // the documents it has still work
            assertThat(c.next()).isEqualTo(syncStatus("docs:d0"));
            c.send(new Lib0Writer().writeVarString("docs:d1").writeVarUint(7).writeVarString("bye").toByteArray());
            c.send(auth("docs:d9")); // closing one makes room for another
            assertThat(authReply(c.next(), "docs:d9")).isEqualTo(2);
        }
    }

    @Test
    void loadedBytesCapUnloadsIdleDocumentsLeastRecentlyUsedFirstAndTheyComeBackWhole() throws Exception {
        long cap = 2L * BIG.length;
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxLoadedSize(cap));
        assertThat(post("/api/docs/docs:a", BIG).statusCode()).isEqualTo(204); // loaded, then idle
        assertThat(post("/api/docs/docs:b", BIG).statusCode()).isEqualTo(204);
        long before = server.docs().rooms().loadedBytes();

        try (DocClient c = yjs("docs:c")) {
            assertThat(c.next()).isEqualTo(sync(new byte[0], 0, EMPTY_SV));
            System.out.printf("loaded bytes: %d with two idle documents (cap %d), %d after opening a third: %s%n",
                    before, cap, server.docs().rooms().loadedBytes(), server.docs().rooms().loaded());
            assertThat(before).isGreaterThanOrEqualTo(cap);
            assertThat(server.docs().rooms().loaded()).containsExactlyInAnyOrder("docs:b", "docs:c");

            try (DocClient a = yjs("docs:a")) {
                assertThat(a.next()).as("its content is back").isEqualTo(sync(new byte[0], 0, YUpdates.stateVector(BIG)));
            }
        }
    }

    @Test
    void whenOnlyDocumentsInUseFillTheNodeNewOnesAreRefusedAsNodeBusy() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxLoadedSize(BIG.length));
        try (DocClient a = yjs("docs:a")) {
            a.next();
            assertThat(post("/api/docs/docs:a", BIG).statusCode()).isEqualTo(204);

            try (DocClient late = yjs("docs:late")) {
                assertThat(permissionDeniedReason(late.next())).startsWith("node busy: the node holds ")
                        .contains("docs.max_loaded_size is " + BIG.length);
                assertThat(late.awaitClose().code()).isEqualTo(1013);
            }
            try (DocClient h = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
                h.send(auth("docs:late"));
                assertThat(authReply(h.next(), "docs:late")).as("PermissionDenied").isEqualTo(1);
            }
            assertThat(server.refusals().count("docs.node_busy")).isEqualTo(2);
            assertThat(post("/api/docs/docs:late", update(0)).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void namespaceQuotaRefusesWritesPastItWithTheReasonAndDeleteFreesIt() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxNamespaceSize(BIG.length + 100));
        assertThat(post("/api/docs/docs:q1", BIG).statusCode()).isEqualTo(204);
        HttpResponse<String> refused = post("/api/docs/docs:q2", BIG);
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(refused.body()).contains("namespace quota exceeded: namespace 'docs' stores " + BIG.length
                + " bytes, docs.max_namespace_size is " + (BIG.length + 100));
        assertThat(post("/api/docs/view:q2", BIG).statusCode()).as("another namespace").isEqualTo(204);

        try (DocClient h = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
            h.send(auth("docs:q3"));
            h.next();
            h.send(sync(prefix("docs:q3"), 2, BIG));
            Lib0Reader close = new Lib0Reader(h.next());
            assertThat(close.readVarString()).isEqualTo("docs:q3");
            assertThat(close.readVarUint()).as("Close").isEqualTo(7);
            assertThat(close.readVarString()).startsWith("namespace quota exceeded: namespace 'docs'");
        }
        assertThat(server.refusals().count("docs.namespace_quota")).isEqualTo(1);

        assertThat(delete("/api/docs/docs:q1").statusCode()).isEqualTo(204);
        assertThat(post("/api/docs/docs:q2", BIG).statusCode()).isEqualTo(204);
    }

    private DocClient yjs(String room) {
        return DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/" + room + "?token="
                + DocsServerFixture.token("ann"));
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("X-API-Key", DocsServerFixture.API_KEY);
    }

    private static byte[] prefix(String address) {
        return new Lib0Writer().writeVarString(address).toByteArray();
    }

    private static byte[] auth(String address) {
        return new Lib0Writer().writeVarString(address).writeVarUint(2).writeVarUint(0)
                .writeVarString(DocsServerFixture.token("ann")).writeVarString("4.8.0").toByteArray();
    }

    private static byte[] syncStatus(String address) {
        return new Lib0Writer().writeVarString(address).writeVarUint(8).writeVarUint(1).toByteArray();
    }

    /** The auth message's type: 2 Authenticated, 1 PermissionDenied. */
    private static long authReply(byte[] frame, String address) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarString()).isEqualTo(address);
        assertThat(in.readVarUint()).isEqualTo(2);
        return in.readVarUint();
    }

    /** Heap in use after a full collection (a figure to print, not to assert on). */
    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
