package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.server.config.AiRelayConfig;
import dev.weft.server.config.WebConfig;
import dev.weft.server.web.FakeLlm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ai-chat demo page in headless Chromium ({@code node/web/ai-chat.mjs}), against two servers with
 * {@code demo.enabled}: one relaying to its own fake model (a reload mid-answer and a second tab both end with
 * the whole answer exactly once), one whose {@code ai.upstreams} entry {@code demo} is a fake model in this test
 * (Stop closes the relay's connection to it, seen by the fake model itself).
 */
class AiChatDemoInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of(System.getProperty("weft.interop.chromium", "/usr/bin/chromium"));

    private static InteropServer server;
    private static InteropServer stopServer;
    private static HttpServer model;
    /** Answers the test's fake model began, finished, and lost to a closed connection before their end. */
    private static final AtomicInteger begun = new AtomicInteger();
    private static final AtomicInteger finished = new AtomicInteger();
    private static final AtomicInteger cut = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: install it with `apt-get install -y chromium` (.ci/run does)", CHROMIUM).isTrue();
        NodeScript.ensureInstalled();
        WebConfig demo = WebConfig.DEFAULT.withDemoEnabled(true);
        server = InteropServer.start(InteropServer.config().withWeb(demo));
        model = fakeModel();
        URI url = URI.create("http://127.0.0.1:" + model.getAddress().getPort() + "/v1/chat/completions");
        stopServer = InteropServer.start(InteropServer.config().withWeb(demo).withAiRelay(AiRelayConfig.DEFAULT
                .withUpstreams(Map.of("demo", new AiRelayConfig.Upstream(url, Map.of(), "openai-chat", null, null,
                        null)))));
    }

    @AfterAll
    static void stop() {
        for (InteropServer s : new InteropServer[] {server, stopServer}) {
            if (s != null) {
                s.close();
            }
        }
        if (model != null) {
            model.stop(0);
        }
    }

    @Test
    void aReloadedPageAndASecondTabEndWithTheWholeAnswerOnceAndStopClosesTheUpstream() throws Exception {
        NodeScript.Result run = NodeScript.runScript("web/ai-chat.mjs", Map.of(
                "WEFT_BASE_URL", server.baseUrl(),
                "WEFT_STOP_BASE_URL", stopServer.baseUrl(),
                "WEFT_ANSWER", FakeLlm.ANSWER,
                "WEFT_SCREENSHOT_DIR", screenshotDir().toString(),
                "WEFT_CHROMIUM", CHROMIUM.toString(),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())), SCRIPT_TIMEOUT);
        assertThat(run.exitCode()).as("ai-chat.mjs failed:%n%s", run.transcript()).isZero();
        System.out.print("--- ai-chat.mjs result lines\n" + run.stdout());
        JsonNode chat = run.requireEvent("aiChat");
        assertThat(chat.path("stoppedStatus").asText()).isEqualTo("stopped");
        assertThat(chat.path("stoppedLength").asInt()).isPositive().isLessThan(FakeLlm.ANSWER.length());

        // The fake model's side: the one answer it began lost its connection before its end.
        await().atMost(Duration.ofSeconds(10)).until(() -> cut.get() == 1);
        assertThat(begun.get()).isEqualTo(1);
        assertThat(finished.get()).isZero();
        for (String name : List.of("ai-chat-reloaded", "ai-chat-stopped")) {
            assertThat(Files.size(screenshotDir().resolve(name + ".png"))).isGreaterThan(1000);
        }
    }

    /** OpenAI Chat Completions streaming, {@link FakeLlm}'s answer one chunk every 30 ms; counts how answers end. */
    private static HttpServer fakeModel() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            begun.incrementAndGet();
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte[] event : FakeLlm.events(FakeLlm.ANSWER)) {
                    out.write(event);
                    out.flush();
                    Thread.sleep(30);
                }
                finished.incrementAndGet();
            } catch (IOException e) {
                cut.incrementAndGet(); // the relay closed the connection: the stream was stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        http.start();
        return http;
    }

    private static Path screenshotDir() {
        return Path.of(System.getProperty("weft.interop.targetDir", "target")).toAbsolutePath()
                .resolve("web-screenshots");
    }
}
