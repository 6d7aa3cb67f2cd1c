package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.proxy.RecordingBackend;
import dev.weft.core.proxy.RecordingBackend.Answer;
import dev.weft.server.WeftServer;
import dev.weft.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event proxy driven by the real centrifuge-js SDK (node/proxy.mjs), JSON and Protobuf, against a Weft
 * started from a Centrifugo v6 config file whose proxies point at a real HTTP backend that records what it
 * receives and decides as the scenario describes.
 */
class ProxyInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SLOW_RPC = Duration.ofMillis(1500);

    private static RecordingBackend backend;
    private static WeftServer server;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        NodeScript.ensureInstalled();
        backend = RecordingBackend.start()
                .on("/connect", r -> json(r.body()).has("data")
                        && "Bearer alice-secret".equals(r.headers().get("authorization"))
                        ? Answer.json("{\"result\":{\"user\":\"alice\",\"data\":{\"welcome\":\"alice\"},"
                        + "\"expire_at\":" + (System.currentTimeMillis() / 1000 + 2) + "}}")
                        : Answer.json("{\"disconnect\":{\"code\":4501,\"reason\":\"unauthorized\"}}"))
                .on("/refresh", r -> Answer.json("{\"result\":{\"expire_at\":"
                        + (System.currentTimeMillis() / 1000 + 2) + "}}"))
                .on("/subscribe", r -> json(r.body()).path("channel").asText().startsWith("news-")
                        ? Answer.json("{\"result\":{\"data\":{\"allowed\":true}}}")
                        : Answer.json("{\"error\":{\"code\":403,\"message\":\"permission denied\"}}"))
                .on("/publish", r -> Answer.json("{\"result\":{\"data\":{\"text\":\""
                        + json(r.body()).path("data").path("text").asText().toUpperCase(Locale.ROOT)
                        + "\",\"by\":\"backend\"}}}"))
                .on("/rpc", r -> switch (json(r.body()).path("method").asText()) {
                    case "getPrice" -> Answer.json("{\"result\":{\"data\":{\"price\":42}}}");
                    case "slow" -> Answer.json("{\"result\":{\"data\":{\"slow\":true}}}").after(SLOW_RPC);
                    default -> Answer.json("{\"error\":{\"code\":1000,\"message\":\"no such method\"}}");
                });
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {
                  "http_server": {"address": "127.0.0.1", "port": 0},
                  "engine": {"type": "memory"},
                  "data_dir": "%s",
                  "client": {"concurrency": 4, "proxy": {
                    "connect": {"enabled": true, "endpoint": "%s", "emulated_headers": ["Authorization"]},
                    "refresh": {"enabled": true, "endpoint": "%s"}
                  }},
                  "channel": {
                    "proxy": {"subscribe": {"endpoint": "%s"}, "publish": {"endpoint": "%s"}},
                    "without_namespace": {"subscribe_proxy_enabled": true, "publish_proxy_enabled": true}
                  },
                  "rpc": {"proxy": {"endpoint": "%s", "timeout": "5s"}, "without_namespace": {"proxy_enabled": true}}
                }
                """.formatted(dir.resolve("data"), backend.url("/connect"), backend.url("/refresh"), backend.url("/subscribe"),
                backend.url("/publish"), backend.url("/rpc")));
        server = WeftServer.start(ConfigLoader.load(Optional.of(config), Map.of(), Map.of()).config());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest(name = "websocket {0}")
    @ValueSource(strings = {"json", "protobuf"})
    void everyProxyKindWorksWithCentrifugeJs(String format) throws Exception {
        while (backend.pending() > 0) {
            backend.next();
        }
        NodeScript.Result run = runScript("proxy.mjs", format);
        JsonNode proxied = run.requireEvent("proxied");
        assertThat(proxied.path("refusalCode").asInt()).isEqualTo(403);
        assertThat(proxied.path("rpcError").path("code").asInt()).isEqualTo(1000);

        List<RecordingBackend.Received> received = new ArrayList<>();
        while (backend.pending() > 0) {
            received.add(backend.next());
        }
        JsonNode connect = json(received.stream().filter(r -> r.path().equals("/connect")).findFirst()
                .orElseThrow().body());
        assertThat(connect.path("transport").asText()).isEqualTo("websocket");
        assertThat(connect.path("protocol").asText()).isEqualTo(format);
        assertThat(connect.path("name").asText()).isEqualTo("weft-interop");
        assertThat(connect.path("data").path("app").asText()).isEqualTo("interop");
        JsonNode publish = json(received.stream().filter(r -> r.path().equals("/publish")).findFirst()
                .orElseThrow().body());
        assertThat(publish.path("user").asText()).isEqualTo("alice");
        assertThat(publish.path("data").path("text").asText()).isEqualTo("hello");
        assertThat(received.stream().filter(r -> r.path().equals("/refresh")).count())
                .as("the backend kept the 2 s connection alive through 5 s").isGreaterThanOrEqualTo(2);
        assertThat(received.stream().filter(r -> r.path().equals("/rpc")).count()).isEqualTo(2);
    }

    /** The server runs with {@code client.concurrency: 4}. */
    @ParameterizedTest(name = "websocket {0}")
    @ValueSource(strings = {"json", "protobuf"})
    void slowRpcProxyCallDoesNotHoldBackAPublishOnTheSameConnection(String format) throws Exception {
        NodeScript.Result run = runScript("concurrency.mjs", format);

        JsonNode concurrency = run.requireEvent("concurrency");
        assertThat(concurrency.path("answered").get(0).asText()).isEqualTo("publish");
        assertThat(concurrency.path("rpcData").path("slow").asBoolean()).isTrue();
        run.requireEvent("done");
    }

    private static NodeScript.Result runScript(String script, String format) throws Exception {
        NodeScript.Result run = NodeScript.runScript(script, Map.of(
                "WEFT_URL", "ws://127.0.0.1:" + server.port() + "/connection/websocket",
                "WEFT_API_URL", "http://127.0.0.1:" + server.port() + "/api",
                "WEFT_API_KEY", "unused: the scenario publishes through the publish proxy",
                "WEFT_TOKEN", "unused: the connection has no token",
                "FORMAT", format,
                "WEFT_CHANNEL_SUFFIX", format + "-" + System.nanoTime(),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())), SCRIPT_TIMEOUT);
        assertThat(run.exitCode()).as("%s (%s) failed:%n%s", script, format, run.transcript()).isZero();
        return run;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
