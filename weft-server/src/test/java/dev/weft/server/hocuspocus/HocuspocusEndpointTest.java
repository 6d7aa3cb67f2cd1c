package dev.weft.server.hocuspocus;

import dev.weft.core.docs.YjsVectors;
import dev.weft.server.WeftServer;
import dev.weft.server.docs.DocClient;
import dev.weft.server.docs.DocsServerFixture;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.weft.core.docs.YjsVectors.update;
import static dev.weft.server.docs.DocumentFrames.sync;
import static org.assertj.core.api.Assertions.assertThat;

/** The Hocuspocus dialect over real sockets, frames as {@code @hocuspocus/provider} 4.x sends them. */
class HocuspocusEndpointTest {
    private static final byte[] EMPTY_SV = {0};

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private DocClient connect() {
        return DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus");
    }

    private static byte[] prefix(String address) {
        return new Lib0Writer().writeVarString(address).toByteArray();
    }

    private static byte[] auth(String address, String token) {
        return new Lib0Writer().writeVarString(address).writeVarUint(2).writeVarUint(0).writeVarString(token)
                .writeVarString("4.8.0").toByteArray();
    }

    private static byte[] authenticated(String address, String scope) {
        return new Lib0Writer().writeVarString(address).writeVarUint(2).writeVarUint(2).writeVarString(scope)
                .toByteArray();
    }

    private static byte[] syncStatus(String address, boolean applied) {
        return new Lib0Writer().writeVarString(address).writeVarUint(8).writeVarUint(applied ? 1 : 0).toByteArray();
    }

    /** Opens {@code address} the way the provider does: token, then SyncStep1 at once; checks the answers. */
    private static void open(DocClient client, String address, String user, byte[] expectedServerSv) throws Exception {
        client.send(auth(address, DocsServerFixture.token(user)));
        client.send(sync(prefix(address), 0, EMPTY_SV));
        assertThat(client.next()).isEqualTo(authenticated(address, address.startsWith("view:") ? "readonly" : "read-write"));
        assertThat(client.next()).isEqualTo(sync(prefix(address), 0, expectedServerSv));
        byte[] step2 = payload(client.next(), address, 0, 1);
        assertThat(YUpdates.stateVector(step2)).isEqualTo(expectedServerSv);
    }

    private static byte[] payload(byte[] frame, String address, int type, int syncType) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarString()).isEqualTo(address);
        assertThat(in.readVarUint()).isEqualTo(type);
        assertThat(in.readVarUint()).isEqualTo(syncType);
        return in.readVarUint8Array();
    }

    @Test
    void authenticatesSyncsAndAcknowledgesUpdates() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient a = connect(); DocClient b = connect()) {
            open(a, "docs:h1", "ann", EMPTY_SV);
            open(b, "docs:h1", "bob", EMPTY_SV);

            a.send(updateFrame("docs:h1", update(0)));
            assertThat(a.next()).isEqualTo(syncStatus("docs:h1", true));
            assertThat(b.next()).isEqualTo(updateFrame("docs:h1", update(0)));

            // SyncReply (4) answers SyncStep1 with SyncStep2 only
            b.send(syncReplyStep1("docs:h1"));
            assertThat(YUpdates.stateVector(payload(b.next(), "docs:h1", 0, 1)))
                    .isEqualTo(YjsVectors.stateAfterFirst());
        }
    }

    private static byte[] updateFrame(String address, byte[] update) {
        return sync(prefix(address), 2, update);
    }

    private static byte[] syncReplyStep1(String address) {
        return new Lib0Writer().writeVarString(address).writeVarUint(4).writeVarUint(0).writeVarUint8Array(EMPTY_SV)
                .toByteArray();
    }

    @Test
    void manyDocumentsOnOneSocketIncludingSessionAddresses() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        server.docs().rooms().apply("docs:two", update(0));
        try (DocClient c = connect()) {
            open(c, "docs:one", "ann", EMPTY_SV);
            open(c, "docs:two\0session-1", "ann", YjsVectors.stateAfterFirst());
            c.send(updateFrame("docs:one", update(0)));
            assertThat(c.next()).isEqualTo(syncStatus("docs:one", true));
            assertThat(server.docs().rooms().loaded()).containsExactlyInAnyOrder("docs:one", "docs:two");
        }
    }

    @Test
    void wrongTokenIsDeniedOtherDocumentsOnTheSocketGoOn() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient c = connect()) {
            c.send(auth("docs:x", "forged"));
            c.send(sync(prefix("docs:x"), 0, EMPTY_SV)); // waits for a successful Auth, never answered
            Lib0Reader denied = new Lib0Reader(c.next());
            assertThat(denied.readVarString()).isEqualTo("docs:x");
            assertThat(denied.readVarUint()).isEqualTo(2);
            assertThat(denied.readVarUint()).isEqualTo(1);
            assertThat(denied.readVarString()).isEqualTo("unauthorized");

            c.send(auth("closed-room", DocsServerFixture.token("ann")));
            Lib0Reader forbidden = new Lib0Reader(c.next());
            assertThat(forbidden.readVarString()).isEqualTo("closed-room");
            assertThat(forbidden.readVarUint()).isEqualTo(2);
            assertThat(forbidden.readVarUint()).isEqualTo(1);

            open(c, "docs:y", "ann", EMPTY_SV);
            assertThat(c.isClosed()).isFalse();
            assertThat(server.refusals().count("docs.unauthorized")).isEqualTo(1);
            assertThat(server.refusals().count("docs.forbidden")).isEqualTo(1);
        }
    }

    @Test
    void readOnlyDocumentRefusesChangesWithSyncStatusZero() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        server.docs().rooms().apply("view:r", update(0));
        try (DocClient reader = connect(); DocClient other = connect()) {
            open(reader, "view:r", "ann", YjsVectors.stateAfterFirst());
            open(other, "view:r", "bob", YjsVectors.stateAfterFirst());

            reader.send(updateFrame("view:r", update(1)));
            assertThat(reader.next()).isEqualTo(syncStatus("view:r", false));
            reader.send(sync(prefix("view:r"), 1, update(0))); // its SyncStep2 holds nothing new
            assertThat(reader.next()).isEqualTo(syncStatus("view:r", true));
            assertThat(other.pending()).isZero();
            assertThat(YUpdates.stateVector(server.docs().rooms().document("view:r")))
                    .isEqualTo(YjsVectors.stateAfterFirst());
        }
    }

    @Test
    void messagesWaitingForAuthAreBounded() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient c = connect(); DocClient other = connect()) {
            for (int i = 0; i < 6 && !c.isClosed(); i++) {
                c.send(updateFrame("docs:never", new byte[1_000_000])); // never authenticated: they wait
            }
            assertThat(c.awaitClose().code()).isEqualTo(1013);
            other.send(new byte[]{9});
            assertThat(other.next()).containsExactly(10);
        }
    }

    @Test
    void invalidatedUserGetsItsDocumentsClosed() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient c = connect()) {
            open(c, "docs:inv", "ann", EMPTY_SV);
            server.node().tokenRevocations().invalidateUserTokens("ann", System.currentTimeMillis() / 1000 + 10);
            Lib0Reader close = new Lib0Reader(c.next());
            assertThat(close.readVarString()).isEqualTo("docs:inv");
            assertThat(close.readVarUint()).isEqualTo(7);
            c.send(updateFrame("docs:inv", update(0))); // the document is closed: waits for a new Auth
            c.send(new byte[]{9});
            assertThat(c.next()).containsExactly(10);
            assertThat(server.docs().rooms().document("docs:inv")).containsExactly(0, 0);
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        try (DocClient c = connect()) {
            c.send(new byte[]{9});
            assertThat(c.next()).containsExactly(10);
        }
    }

    @Test
    void documentErrorsCloseTheDocumentBrokenFramesTheSocket() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxUpdateSize(1000));
        try (DocClient c = connect(); DocClient bystander = connect()) {
            open(c, "docs:a", "ann", EMPTY_SV);
            open(c, "docs:b", "ann", EMPTY_SV);
            open(bystander, "docs:b", "bob", EMPTY_SV);

            c.send(updateFrame("docs:a", update(3))); // larger than docs.max_update_size
            Lib0Reader close = new Lib0Reader(c.next());
            assertThat(close.readVarString()).isEqualTo("docs:a");
            assertThat(close.readVarUint()).isEqualTo(7);
            assertThat(close.readVarString()).startsWith("update too large");

            c.send(updateFrame("docs:b", update(0)));
            assertThat(c.next()).isEqualTo(syncStatus("docs:b", true));
            assertThat(bystander.next()).isEqualTo(updateFrame("docs:b", update(0)));

            c.send(new byte[]{(byte) 0x90, 0x4e}); // an address longer than the frame
            assertThat(c.awaitClose().code()).isEqualTo(1007);
            bystander.send(updateFrame("docs:b", update(1)));
            assertThat(bystander.next()).isEqualTo(syncStatus("docs:b", true));
        }
    }

    @Test
    void closeMessageLeavesTheDocumentAndRemovesItsAwareness() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        byte[] state = new Lib0Writer().writeVarUint(1).writeVarUint(5).writeVarUint(1).writeVarString("{}")
                .toByteArray();
        try (DocClient a = connect(); DocClient b = connect()) {
            open(a, "docs:c", "ann", EMPTY_SV);
            open(b, "docs:c", "bob", EMPTY_SV);
            a.send(new Lib0Writer().writeVarString("docs:c").writeVarUint(1).writeVarUint8Array(state).toByteArray());
            b.next();
            a.send(new Lib0Writer().writeVarString("docs:c").writeVarUint(7).writeVarString("bye").toByteArray());
            byte[] removal = new Lib0Writer().writeVarUint(1).writeVarUint(5).writeVarUint(2).writeVarString("null")
                    .toByteArray();
            assertThat(b.next()).isEqualTo(new Lib0Writer().writeVarString("docs:c").writeVarUint(1)
                    .writeVarUint8Array(removal).toByteArray());
        }
    }
}
