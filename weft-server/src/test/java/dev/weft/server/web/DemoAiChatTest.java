package dev.weft.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.server.TestWebSocket;
import dev.weft.server.WeftServer;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WebConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /demo/ai/chat} and the fake model behind it: a question starts a relay (over a real socket to
 * {@link FakeLlm}) into a {@code demo_ai:} stream that anonymous clients may read and stop but not publish in;
 * bad requests and too many questions from one address are refused; nothing of it exists without
 * {@code demo.enabled}.
 */
class DemoAiChatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private void start(boolean demo) {
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(ClientOptions.builder()
                        .tokenHmacSecretKey("demo-ai-chat-test-secret-long-enough-for-hs256").build()))
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

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> ask(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(DemoAiChat.PATH)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aQuestionRelaysTheFakeModelIntoAStreamAnonymousReadersReadAndStopButCannotPublishIn() throws Exception {
        start(true);
        HttpResponse<String> asked = ask("application/json", "{\"question\":\"hello?\",\"chat_id\":\"c1\"}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        JsonNode created = JSON.readTree(asked.body());
        assertThat(created.path("chat_id").asText()).isEqualTo("c1");
        assertThat(created.path("channel").asText()).isEqualTo("demo_ai:chat_c1");
        String id = created.path("id").asText();
        String path = "/ai/streams/" + URLEncoder.encode(id, StandardCharsets.UTF_8);

        HttpResponse<Stream<String>> reading = http.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(reading.statusCode()).as("an anonymous reader").isEqualTo(200);
        Iterator<String> lines = reading.body().iterator();
        StringBuilder text = new StringBuilder();
        while (text.isEmpty()) { // the fake model's first words, relayed
            String line = lines.next();
            if (line.startsWith("data: {\"type\":\"text-delta\"")) {
                text.append(JSON.readTree(line.substring(6)).path("delta").asText());
            }
        }
        assertThat(FakeLlm.ANSWER).startsWith(text.toString());

        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{}}");
            assertThat(ws.next()).contains("\"id\":1", "\"client\"");
            ws.send("{\"id\":2,\"publish\":{\"channel\":\"demo_ai:chat_c1\",\"data\":{\"type\":\"finish\"}}}");
            assertThat(ws.next()).as("readers do not write answers").contains("\"id\":2", "\"code\":103");
        }

        HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(uri(path + "/stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        String rest = "";
        while (lines.hasNext()) {
            rest += lines.next() + "\n";
        }
        assertThat(rest).contains("\"type\":\"abort\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void questionsMustBeJsonAndOneAddressMayAskOnlySoOften() throws Exception {
        start(true);
        assertThat(ask("text/plain", "{\"question\":\"hi\"}").statusCode()).as("no CORS-free cross-site posts")
                .isEqualTo(415);
        assertThat(ask("application/json", "{\"question\":\"  \"}").statusCode()).isEqualTo(400);
        assertThat(ask("application/json", "{\"question\":\"hi\",\"chat_id\":\"a/b\"}").statusCode()).isEqualTo(400);
        assertThat(ask("application/json", "not json").statusCode()).isEqualTo(400);
        // Refused requests took none of the address's questions. Asked all at once (a token refills every 2 s,
        // however slow the machine): the burst is answered, the rest refused with the rate's reason.
        List<CompletableFuture<HttpResponse<String>>> asks = new ArrayList<>();
        for (int i = 0; i < DemoAiChat.BURST + 3; i++) {
            asks.add(http.sendAsync(HttpRequest.newBuilder(uri(DemoAiChat.PATH))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"hi\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> a : asks) {
            answers.add(a.get());
        }
        assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isGreaterThanOrEqualTo(DemoAiChat.BURST);
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.body()).contains("too many questions from this address");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void withDemosOffNeitherTheQuestionEndpointNorTheFakeModelExists() throws Exception {
        start(false);
        assertThat(ask("application/json", "{\"question\":\"hi\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> model = http.send(HttpRequest.newBuilder(uri(FakeLlm.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(model.statusCode()).isEqualTo(404);
    }
}
