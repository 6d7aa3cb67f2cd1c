package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.proxy.RecordingBackend;
import dev.weft.core.proxy.RecordingBackend.Answer;
import dev.weft.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.weft.server.ProtocolClient.push;
import static dev.weft.server.ProtocolClient.request;
import static dev.weft.server.TestServers.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every proxied client event end to end: a Weft started from a Centrifugo v6 config file, a real HTTP backend
 * that records what it receives, and WebSocket clients speaking the JSON protocol. Also what a client gets
 * when the backend is down, slow or answers garbage, while other clients carry on.
 */
class EventProxyTest {
    @TempDir
    Path dir;

    private final RecordingBackend backend = RecordingBackend.start();
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
        backend.close();
    }

    /** A Centrifugo config with every proxy kind on {@code backend}; {@code connectEndpoint} may point elsewhere. */
    private WeftServer start(String connectEndpoint, String connectTimeout) throws Exception {
        String config = """
                {
                  "http_server": {"address": "127.0.0.1", "port": 0},
                  "engine": {"type": "memory"},
                  "data_dir": "%s",
                  "client": {
                    "proxy": {
                      "connect": {"enabled": true, "endpoint": "%s", "timeout": "%s",
                                  "http_headers": ["Cookie"], "emulated_headers": ["Authorization"],
                                  "http": {"static_headers": {"X-Static": "from-config"}}},
                      "refresh": {"enabled": true, "endpoint": "%s", "include_connection_meta": true}
                    }
                  },
                  "channel": {
                    "proxy": {
                      "subscribe": {"endpoint": "%s"},
                      "publish": {"endpoint": "%s"},
                      "sub_refresh": {"endpoint": "%s"}
                    },
                    "without_namespace": {"subscribe_proxy_enabled": true, "publish_proxy_enabled": true,
                                          "sub_refresh_proxy_enabled": true},
                    "namespaces": [
                      {"name": "plain"},
                      {"name": "other", "subscribe_proxy_enabled": true, "subscribe_proxy_name": "second"}
                    ]
                  },
                  "proxies": [{"name": "second", "endpoint": "%s"}],
                  "rpc": {
                    "proxy": {"endpoint": "%s", "timeout": "300ms"},
                    "without_namespace": {"proxy_enabled": true}
                  }
                }
                """.formatted(dir.resolve("data"), connectEndpoint, connectTimeout, backend.url("/refresh"), backend.url("/subscribe"),
                backend.url("/publish"), backend.url("/sub_refresh"), backend.url("/second"), backend.url("/rpc"));
        Path file = dir.resolve("config.json");
        Files.writeString(file, config);
        var loaded = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertThat(loaded.warnings()).isEmpty();
        server = WeftServer.start(loaded.config());
        return server;
    }

    private WeftServer start() throws Exception {
        return start(backend.url("/connect").toString(), "1s");
    }

    private static long inSeconds(long seconds) {
        return System.currentTimeMillis() / 1000 + seconds;
    }

    private TestWebSocket connected(String user) throws Exception {
        backend.on("/connect", "{\"result\":{\"user\":\"" + user + "\"}}");
        var ws = TestWebSocket.connect(server.port());
        JsonNode reply = request(ws, 1, "{\"id\":1,\"connect\":{}}");
        assertThat(reply.has("connect")).as(reply.toString()).isTrue();
        backend.next("/connect");
        return ws;
    }

    @Test
    void connectWithoutTokenIsAuthenticatedByTheBackend() throws Exception {
        start();
        backend.on("/connect", "{\"result\":{\"user\":\"56\",\"expire_at\":" + inSeconds(3600)
                + ",\"info\":{\"name\":\"Ann\"},\"data\":{\"greeting\":\"hi\",\"n\":1.10},\"channels\":[\"news\"],"
                + "\"meta\":{\"plan\":\"pro\"}}}");
        backend.on("/subscribe", "{\"result\":{}}");
        try (var ws = TestWebSocket.connect(server.port(), "Cookie", "session=abc")) {
            ws.send("{\"id\":1,\"connect\":{\"data\":{\"app\":\"web\"},\"name\":\"js\",\"version\":\"5.7\","
                    + "\"headers\":{\"Authorization\":\"Bearer emulated\",\"X-Other\":\"dropped\"}}}");
            String frame = ws.next();
            JsonNode reply = TestServers.lines(frame).getFirst();

            assertThat(frame).contains("\"data\":{\"greeting\":\"hi\",\"n\":1.10}");
            JsonNode result = reply.path("connect");
            assertThat(result.path("subs").has("news")).isTrue();
            assertThat(result.has("expires")).as("the backend refreshes, not the client").isFalse();

            var received = backend.next("/connect");
            JsonNode body = json(received.body());
            assertThat(body.path("client").asText()).isEqualTo(result.path("client").asText());
            assertThat(body.path("transport").asText()).isEqualTo("websocket");
            assertThat(body.path("protocol").asText()).isEqualTo("json");
            assertThat(body.path("encoding").asText()).isEqualTo("json");
            assertThat(body.path("name").asText()).isEqualTo("js");
            assertThat(body.path("version").asText()).isEqualTo("5.7");
            assertThat(body.path("data").toString()).isEqualTo("{\"app\":\"web\"}");
            assertThat(body.has("user")).isFalse();
            assertThat(received.headers()).containsEntry("cookie", "session=abc")
                    .containsEntry("authorization", "Bearer emulated").containsEntry("x-static", "from-config")
                    .containsEntry("content-type", "application/json").doesNotContainKey("x-other");
        }
    }

    @Test
    void subscribeIsAllowedOrRefusedByTheBackendOfTheNamespace() throws Exception {
        start();
        backend.on("/subscribe", r -> json(r.body()).path("channel").asText().equals("allowed")
                ? Answer.json("{\"result\":{\"info\":{\"role\":\"reader\"},\"data\":{\"welcome\":true}}}")
                : Answer.json("{\"error\":{\"code\":403,\"message\":\"permission denied\"}}"));
        backend.on("/second", "{\"result\":{\"b64data\":\"eyJiIjoxfQ==\"}}"); // {"b":1}
        try (var ws = connected("56")) {
            JsonNode allowed = request(ws, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"allowed\",\"data\":{\"ask\":1}}}");
            assertThat(allowed.path("subscribe").path("data").toString()).isEqualTo("{\"welcome\":true}");
            JsonNode asked = json(backend.next("/subscribe").body());
            assertThat(asked.path("user").asText()).isEqualTo("56");
            assertThat(asked.path("channel").asText()).isEqualTo("allowed");
            assertThat(asked.path("data").toString()).isEqualTo("{\"ask\":1}");

            JsonNode denied = request(ws, 3, "{\"id\":3,\"subscribe\":{\"channel\":\"denied\"}}");
            assertThat(denied.path("error").path("code").asInt()).isEqualTo(403);
            assertThat(denied.path("error").path("message").asText()).isEqualTo("permission denied");
            backend.next("/subscribe");

            JsonNode named = request(ws, 4, "{\"id\":4,\"subscribe\":{\"channel\":\"other:x\"}}");
            assertThat(named.path("subscribe").path("data").toString()).isEqualTo("{\"b\":1}");
            assertThat(json(backend.next("/second").body()).path("channel").asText()).isEqualTo("other:x");

            JsonNode unproxied = request(ws, 5, "{\"id\":5,\"subscribe\":{\"channel\":\"plain:x\"}}");
            assertThat(unproxied.path("error").path("code").asInt()).as("namespace permissions apply")
                    .isEqualTo(103);
            assertThat(backend.pending()).isZero();
        }
    }

    @Test
    void publishedDataIsRewrittenByTheBackend() throws Exception {
        start();
        backend.on("/subscribe", "{\"result\":{}}");
        backend.on("/publish", r -> json(r.body()).path("data").path("text").asText().equals("forbidden")
                ? Answer.json("{\"error\":{\"code\":1001,\"message\":\"not here\"}}")
                : Answer.json("{\"result\":{\"data\":{\"text\":\"REWRITTEN\",\"n\":1.10}}}"));
        try (var reader = connected("reader"); var writer = connected("writer")) {
            assertThat(request(reader, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"room\"}}").has("subscribe")).isTrue();

            JsonNode published = request(writer, 2, "{\"id\":2,\"publish\":{\"channel\":\"room\","
                    + "\"data\":{\"text\":\"hello\",\"n\":0.12345678901234567890123}}}");
            assertThat(published.has("publish")).as(published.toString()).isTrue();
            String sent = backend.next("/publish").body();
            assertThat(sent).contains("\"data\":{\"text\":\"hello\",\"n\":0.12345678901234567890123}")
                    .contains("\"user\":\"writer\"", "\"channel\":\"room\"");
            String frame = reader.next();
            assertThat(frame).contains("\"data\":{\"text\":\"REWRITTEN\",\"n\":1.10}");

            JsonNode refused = request(writer, 3, "{\"id\":3,\"publish\":{\"channel\":\"room\","
                    + "\"data\":{\"text\":\"forbidden\"}}}");
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(1001);
            assertThat(refused.path("error").path("message").asText()).isEqualTo("not here");
        }
    }

    @Test
    void rpcIsAnsweredOrFailedByTheBackend() throws Exception {
        start();
        backend.on("/rpc", r -> switch (json(r.body()).path("method").asText()) {
            case "price" -> Answer.json("{\"result\":{\"data\":{\"answer\":\"2019\"}}}");
            case "slow" -> Answer.json("{\"result\":{}}").after(Duration.ofSeconds(3));
            case "garbage" -> Answer.json("<html>oops</html>");
            case "down" -> Answer.status(503);
            default -> Answer.json("{\"error\":{\"code\":1000,\"message\":\"custom error\"}}");
        });
        try (var ws = connected("56"); var other = connected("57")) {
            JsonNode answered = request(ws, 2, "{\"id\":2,\"rpc\":{\"method\":\"price\",\"data\":{\"id\":12}}}");
            assertThat(answered.path("rpc").path("data").path("answer").asText()).isEqualTo("2019");
            JsonNode asked = json(backend.next("/rpc").body());
            assertThat(asked.path("data").toString()).isEqualTo("{\"id\":12}");
            assertThat(asked.path("user").asText()).isEqualTo("56");

            JsonNode failed = request(ws, 3, "{\"id\":3,\"rpc\":{\"method\":\"nope\",\"data\":{}}}");
            assertThat(failed.path("error").path("code").asInt()).isEqualTo(1000);
            assertThat(failed.path("error").path("message").asText()).isEqualTo("custom error");

            for (String method : new String[] {"garbage", "down"}) {
                JsonNode unusable = request(ws, 4, "{\"id\":4,\"rpc\":{\"method\":\"" + method + "\"}}");
                assertThat(unusable.path("error").path("code").asInt()).as(method).isEqualTo(100);
                assertThat(unusable.path("error").path("temporary").asBoolean()).as(method).isTrue();
            }

            // A backend slower than the 300 ms timeout: a temporary error in time, and the other client
            // is answered meanwhile.
            long started = System.nanoTime();
            ws.send("{\"id\":5,\"rpc\":{\"method\":\"slow\"}}");
            JsonNode fast = request(other, 2, "{\"id\":2,\"rpc\":{\"method\":\"price\"}}");
            assertThat(fast.path("rpc").path("data").path("answer").asText()).isEqualTo("2019");
            JsonNode slow = request(ws, 5, "");
            assertThat(slow.path("error").path("code").asInt()).isEqualTo(100);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void theBackendExtendsOrEndsAnExpiringConnection() throws Exception {
        start();
        backend.on("/connect", "{\"result\":{\"user\":\"56\",\"expire_at\":" + inSeconds(1)
                + ",\"meta\":{\"tenant\":7}}}");
        var refreshes = new java.util.concurrent.atomic.AtomicInteger();
        backend.on("/refresh", r -> refreshes.incrementAndGet() == 1
                ? Answer.json("{\"result\":{\"expire_at\":" + inSeconds(1) + "}}")
                : Answer.json("{\"result\":{\"expired\":true}}"));
        try (var ws = TestWebSocket.connect(server.port())) {
            assertThat(request(ws, 1, "{\"id\":1,\"connect\":{}}").has("connect")).isTrue();

            JsonNode first = json(backend.next("/refresh").body());
            assertThat(first.path("user").asText()).isEqualTo("56");
            assertThat(first.path("meta").toString()).isEqualTo("{\"tenant\":7}");
            backend.next("/refresh");
            assertThat(ws.awaitClose().code()).isEqualTo(3005);
        }
    }

    @Test
    void theBackendExtendsOrEndsAnExpiringSubscription() throws Exception {
        start();
        backend.on("/subscribe", r -> Answer.json("{\"result\":{\"expire_at\":" + inSeconds(1) + "}}"));
        var refreshes = new java.util.concurrent.atomic.AtomicInteger();
        backend.on("/sub_refresh", r -> refreshes.incrementAndGet() == 1
                ? Answer.json("{\"result\":{\"expire_at\":" + inSeconds(1) + "}}")
                : Answer.json("{\"result\":{\"expired\":true}}"));
        try (var ws = connected("56")) {
            JsonNode subscribed = request(ws, 2, "{\"id\":2,\"subscribe\":{\"channel\":\"timed\"}}");
            assertThat(subscribed.path("subscribe").has("expires")).as("the backend refreshes, not the client")
                    .isFalse();

            JsonNode first = json(backend.next("/sub_refresh").body());
            assertThat(first.path("channel").asText()).isEqualTo("timed");
            assertThat(first.path("user").asText()).isEqualTo("56");
            backend.next("/sub_refresh");
            JsonNode unsubscribe = push(ws, "timed");
            assertThat(unsubscribe.path("unsubscribe").path("code").asInt()).isEqualTo(2501);
        }
    }

    @Test
    void aBackendDisconnectClosesTheConnectionWithItsCode() throws Exception {
        start();
        backend.on("/connect", "{\"disconnect\":{\"code\":4501,\"reason\":\"unauthorized\"}}");
        try (var ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{}}");
            var close = ws.awaitClose();
            assertThat(close.code()).isEqualTo(4501);
            assertThat(close.reason()).isEqualTo("unauthorized");
        }
    }

    @Test
    void anUnreachableBackendIsATemporaryConnectError() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start("http://127.0.0.1:" + closedPort + "/connect", "1s");
        try (var ws = TestWebSocket.connect(server.port())) {
            JsonNode reply = request(ws, 1, "{\"id\":1,\"connect\":{}}");
            assertThat(reply.path("error").path("code").asInt()).isEqualTo(100);
            assertThat(reply.path("error").path("temporary").asBoolean()).isTrue();
        }
    }
}
