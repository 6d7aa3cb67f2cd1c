package dev.weft.server.docs;

import dev.weft.core.docs.YjsVectors;
import dev.weft.server.WeftServer;
import dev.weft.yjs.YUpdates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.weft.core.docs.YjsVectors.update;
import static org.assertj.core.api.Assertions.assertThat;

class DocsApiEndpointTest {
    private static WeftServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = DocsServerFixture.start(DocsServerFixture.memory().withMaxUpdateSize(1000));
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ofSeconds(2));
    }

    private HttpResponse<byte[]> call(String method, String pathAndQuery, byte[] body, boolean withKey)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (withKey) {
            b.header("X-API-Key", DocsServerFixture.API_KEY);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void postedUpdateIsStoredAndReachesConnectedPeers() throws Exception {
        try (DocClient peer = DocClient.connect("ws://127.0.0.1:" + server.port() + "/yjs/docs:api?token="
                + DocsServerFixture.token("ann"))) {
            peer.next();
            assertThat(call("POST", "/api/docs/docs:api", update(0), true).statusCode()).isEqualTo(204);
            assertThat(peer.next()).isEqualTo(DocumentFrames.sync(new byte[0], 2, update(0)));
        }
        HttpResponse<byte[]> whole = call("GET", "/api/docs/docs:api", null, true);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(YUpdates.stateVector(whole.body())).isEqualTo(YjsVectors.stateAfterFirst());
        assertThat(call("GET", "/api/docs/docs:api?sv", null, true).body()).isEqualTo(YjsVectors.stateAfterFirst());
    }

    @Test
    void refusals() throws Exception {
        assertThat(call("GET", "/api/docs/docs:api", null, false).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/docs/docs:bad", new byte[]{1, 2, 3}, true).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/docs/docs:bad", update(3), true).statusCode()).isEqualTo(413);
        assertThat(call("GET", "/api/docs/", null, true).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/api/docs/docs:api", null, true).statusCode()).isEqualTo(405);
    }

    @Test
    void unknownDocumentIsEmpty() throws Exception {
        HttpResponse<byte[]> empty = call("GET", "/api/docs/docs:never", null, true);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).containsExactly(0, 0);
    }
}
