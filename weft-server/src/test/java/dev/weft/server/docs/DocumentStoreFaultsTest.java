package dev.weft.server.docs;

import dev.weft.core.docs.DocumentRooms;
import dev.weft.server.LogCapture;
import dev.weft.server.WeftServer;
import dev.weft.server.config.DocsConfig;
import dev.weft.store.sqlite.SqliteDocumentStore;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;

import static dev.weft.core.docs.YjsVectors.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A document store that cannot be used, or holds a damaged document, under a running server (SQLite files). */
class DocumentStoreFaultsTest {
    private static final byte[] GARBAGE = {7, 7, 7, (byte) 0xff, (byte) 0xff};
    private static final int RETRIES = 5;

    @TempDir
    Path temp;
    private WeftServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private static DocsConfig sqlite() {
        return DocsConfig.DEFAULT.withUnloadGrace(Duration.ofHours(1));
    }

    @Test
    void startFailsWithOneClearMessageWhenTheDataDirectoryCannotBeCreated() throws Exception {
        Path plainFile = Files.writeString(temp.resolve("plain-file"), "not a directory");
        Path dataDir = plainFile.resolve("data");

        assertThatThrownBy(() -> DocsServerFixture.start(sqlite(), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.toAbsolutePath().toString())
                .hasMessageContaining("cannot create the data directory");
    }

    @Test
    void startFailsWhenTheStoreFileCannotBeOpened() throws Exception {
        // A directory where the database file should be: refused for every user, root included (unlike
        // file permissions, which do not bind root).
        Path dataDir = temp.resolve("unopenable");
        Files.createDirectories(dataDir.resolve(SqliteDocumentStore.FILE_NAME));
        assertThatThrownBy(() -> DocsServerFixture.start(sqlite(), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.toAbsolutePath().toString());
    }

    @Test
    void damagedDocumentIsQuarantinedWithOneLogLineAcrossRetriesAndClearedByDelete() throws Exception {
        Path dataDir = temp.resolve("data");
        try (SqliteDocumentStore store = SqliteDocumentStore.open(dataDir)) {
            store.append("docs:bad", update(0));
        }
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteDocumentStore.FILE_NAME));
             PreparedStatement insert = sql.prepareStatement(
                     "INSERT INTO document_updates (document, data) VALUES ('docs:bad', ?)")) {
            insert.setBytes(1, GARBAGE);
            insert.executeUpdate();
        }
        server = DocsServerFixture.start(sqlite(), dataDir);
        String yjs = "ws://127.0.0.1:" + server.port() + "/yjs/docs:bad?token=" + DocsServerFixture.token("ann");

        try (LogCapture rooms = new LogCapture(DocumentRooms.class)) {
            for (int i = 0; i < RETRIES; i++) {
                try (DocClient client = DocClient.connect(yjs)) {
                    assertThat(permissionDeniedReason(client.next())).startsWith("document quarantined")
                            .contains("do not decode");
                    DocClient.Close close = client.awaitClose();
                    assertThat(close.code()).isEqualTo(4422);
                    assertThat(close.reason()).isEqualTo("document quarantined");
                }
            }
            try (DocClient hocuspocus = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
                hocuspocus.send(new Lib0Writer().writeVarString("docs:bad").writeVarUint(2).writeVarUint(0)
                        .writeVarString(DocsServerFixture.token("ann")).toByteArray());
                Lib0Reader denied = new Lib0Reader(hocuspocus.next());
                assertThat(denied.readVarString()).isEqualTo("docs:bad");
                assertThat(denied.readVarUint()).isEqualTo(2);
                assertThat(denied.readVarUint()).as("PermissionDenied").isEqualTo(1);
                assertThat(denied.readVarString()).startsWith("document quarantined");
            }
            HttpResponse<String> read = call("GET", "/api/docs/docs:bad");
            assertThat(read.statusCode()).isEqualTo(409);
            assertThat(read.body()).contains("document quarantined");

            assertThat(rooms.messages().stream().filter(m -> m.contains("quarantined")).toList())
                    .as("one log line for every attempt").hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains("\"docs:bad\""));
        }
        assertThat(server.refusals().count("docs.quarantined")).isEqualTo(RETRIES + 1);
        assertThat(call("GET", "/ready").statusCode()).as("one damaged document is not a failing store")
                .isEqualTo(200);

        assertThat(call("DELETE", "/api/docs/docs:bad").statusCode()).isEqualTo(204);
        try (DocClient client = DocClient.connect(yjs)) {
            assertThat(client.next()).isEqualTo(DocumentFrames.sync(new byte[0], 0, new byte[]{0}));
        }
    }

    @Test
    void readinessReportsAFailingStoreWhileHealthStaysLive() throws Exception {
        server = DocsServerFixture.start(sqlite(), temp.resolve("data"));
        assertThat(call("GET", "/ready").statusCode()).isEqualTo(200);

        server.docs().store().close(); // every later store call fails, as on a disk gone away
        try (DocClient client = DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/docs:x?token="
                + DocsServerFixture.token("ann"))) {
            assertThat(permissionDeniedReason(client.next())).startsWith("document store failed");
            assertThat(client.awaitClose().code()).isEqualTo(1011);
        }

        HttpResponse<String> ready = call("GET", "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).startsWith("{\"ready\":false,\"reason\":\"document store: ")
                .contains("the document store is closed");
        assertThat(call("GET", "/health").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("X-API-Key", DocsServerFixture.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The reason of y-protocols' auth message "permission denied" ({@code 2, 0, reason}). */
    static String permissionDeniedReason(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).as("auth message").isEqualTo(2);
        assertThat(in.readVarUint()).as("permission denied").isEqualTo(0);
        return in.readVarString();
    }
}
