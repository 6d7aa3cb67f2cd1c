package dev.weft.server.web;

import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.TestWebSocket;
import dev.weft.server.WeftServer;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WebConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled pages as served: the start page, the demos only with {@code demo.enabled}, nothing outside the
 * bundle, and headers that keep the pages to their own origin. With demos on, anonymous connections may use
 * the {@code demo} namespace and nothing that does not allow anonymous clients itself.
 */
class WebPagesTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private void start(boolean demo) {
        // Channels without namespace are open to any authenticated client, not to anonymous ones.
        ChannelOptions clientsOnly = ChannelOptions.builder().allowSubscribeForClient(true).build();
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(ClientOptions.builder()
                                .tokenHmacSecretKey("web-pages-test-secret-long-enough-for-hs256").build())
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(clientsOnly, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withWeb(WebConfig.DEFAULT.withDemoEnabled(demo)));
    }

    @AfterEach
    void stop() {
        http.close();
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStartPageAndTheDemosAreServedFromTheBundleWithSameOriginHeaders() throws Exception {
        start(true);
        HttpResponse<String> start = get("/");
        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(start.headers().firstValue("content-type").orElseThrow()).isEqualTo("text/html; charset=utf-8");
        assertThat(start.body()).contains("/demo/chat/", "/demo/collab/", "/demo/ai-chat/", "/admin/");
        assertThat(start.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(start.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        for (String path : List.of("/assets/style.css", "/demo/chat/", "/demo/chat/main.js", "/demo/collab/",
                "/demo/collab/main.js", "/demo/ai-chat/", "/demo/ai-chat/main.js")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/demo/collab/main.js").headers().firstValue("content-type").orElseThrow())
                .startsWith("text/javascript");
        assertThat(get("/demo/chat/main.js").body()).as("the SDK is bundled, not fetched").doesNotContain("https://cdn");
        for (String path : List.of("/index.html", "/favicon.ico", "/demo/missing.js", "/demo/../admin/index.html",
                "/assets/files.txt", "/nothing/here")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void withDemosOffTheDemoPagesAre404AndAnonymousConnectionsAreRefused() throws Exception {
        start(false);
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(get("/demo/chat/").statusCode()).isEqualTo(404);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{}}");
            assertThat(ws.awaitClose().code()).as("no token, no anonymous connections").isEqualTo(3501);
        }
    }

    @Test
    void anonymousDemoClientsMayUseTheDemoNamespaceOnly() throws Exception {
        start(true);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{}}");
            assertThat(ws.next()).contains("\"id\":1", "\"client\"");
            ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"demo:chat\"}}");
            assertThat(ws.next()).contains("\"id\":2").doesNotContain("error");
            ws.send("{\"id\":3,\"publish\":{\"channel\":\"demo:chat\",\"data\":{\"text\":\"hi\"}}}");
            String frames = ws.next();
            while (!frames.contains("\"id\":3")) {
                frames += "\n" + ws.next();
            }
            assertThat(frames).as("published").doesNotContain("error");
            ws.send("{\"id\":4,\"presence\":{\"channel\":\"demo:chat\"}}");
            assertThat(ws.next()).contains("\"id\":4", "\"presence\"").doesNotContain("error");
            ws.send("{\"id\":5,\"subscribe\":{\"channel\":\"news\"}}");
            assertThat(ws.next()).as("a channel open to authenticated clients only").contains("\"id\":5",
                    "\"code\":103");
        }
    }
}
