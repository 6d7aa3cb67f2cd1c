package dev.weft.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.ServerPaths;
import dev.weft.server.TestWebSocket;
import dev.weft.server.WeftServer;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WebConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin routes of a real server: without a session every admin API path is 401; wrong passwords are
 * refused and then throttled (even the right password waits); with a session the console calls API methods
 * (a publish reaches a subscribed client, {@code connections} and {@code disconnect} find and end it) and the
 * stats stream sends events. With {@code admin.enabled} off, every admin path is 404.
 */
class AdminEndpointsTest {
    private static final String PASSWORD = "admin-test-password";
    private static final String SECRET = "admin-test-secret-0123456789";
    private static final String HMAC = "admin-test-hmac-secret-long-enough-for-hs256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private WeftServer start(boolean adminEnabled) {
        ChannelOptions open = ChannelOptions.builder().presence(true).allowSubscribeForClient(true).build();
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(ClientOptions.builder().tokenHmacSecretKey(HMAC).build())
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(open, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withWeb(new WebConfig(adminEnabled, PASSWORD, SECRET, false));
        server = WeftServer.start(config);
        return server;
    }

    @AfterEach
    void stop() {
        http.close();
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String password) throws Exception {
        return send("POST", "/admin/login", JSON.createObjectNode().put("password", password).toString(), null);
    }

    private String session() throws Exception {
        HttpResponse<String> response = login(PASSWORD);
        assertThat(response.statusCode()).isEqualTo(204);
        String setCookie = response.headers().firstValue("set-cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void everyAdminApiPathAnswers401WithoutASession() throws Exception {
        start(true);
        List<String> guarded = ServerPaths.of(server).stream().filter(p -> p.startsWith("/admin/api/")).sorted()
                .toList();
        assertThat(guarded).contains("/admin/api/stats", "/admin/api/session", "/admin/api/openapi.json",
                "/admin/api/call/publish", "/admin/api/call/connections", "/admin/api/call/disconnect",
                "/admin/api/call/unsubscribe", "/admin/api/documents", "/admin/api/docs/");
        for (String path : guarded) {
            String method = path.startsWith("/admin/api/call/") ? "POST" : "GET";
            String target = path.endsWith("/") ? path + "some-room" : path;
            assertThat(send(method, target, method.equals("POST") ? "{}" : null, null).statusCode())
                    .as("%s %s", method, target).isEqualTo(401);
            assertThat(send(method, target, method.equals("POST") ? "{}" : null,
                    "weft_admin=v1.9999999999.forged").statusCode()).as("forged: %s", target).isEqualTo(401);
        }
        assertThat(send("GET", "/admin/", null, null).statusCode()).as("the login page itself").isEqualTo(200);
    }

    @Test
    void wrongPasswordsAreRefusedThenThrottledEvenForTheRightOne() throws Exception {
        start(true);
        assertThat(send("POST", "/admin/login", "[]", null).statusCode()).as("no password at all").isEqualTo(400);
        for (int i = 0; i < AdminAccess.BURST; i++) {
            assertThat(login("wrong " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = login("wrong again");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("retry-after").map(Long::parseLong).orElseThrow())
                .isBetween(1L, AdminAccess.REFILL.toSeconds());
        assertThat(login(PASSWORD).statusCode()).as("no guess is checked while throttled").isEqualTo(429);
        assertThat(server.refusals().count(AdminAccess.WRONG_PASSWORD)).isEqualTo(AdminAccess.BURST);
        assertThat(server.refusals().count(AdminAccess.THROTTLED)).isEqualTo(2);
        Thread.sleep(AdminAccess.REFILL.toMillis() + 200);
        assertThat(login(PASSWORD).statusCode()).as("after the refill").isEqualTo(204);
    }

    @Test
    void theConsolePublishesToARealClientAndTheInspectorFindsAndDisconnectsIt() throws Exception {
        start(true);
        String cookie = session();
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token("alice") + "\"}}");
            String client = JSON.readTree(ws.next()).path("connect").path("client").asText();
            ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            assertThat(ws.next()).contains("\"id\":2");

            HttpResponse<String> publish = send("POST", "/admin/api/call/publish",
                    "{\"channel\":\"news\",\"data\":{\"text\":\"from admin\"}}", cookie);
            assertThat(publish.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(publish.body()).has("result")).as(publish.body()).isTrue();
            assertThat(ws.next()).contains("from admin");

            JsonNode connections = JSON.readTree(send("POST", "/admin/api/call/connections", "{\"user\":\"alice\"}",
                    cookie).body()).path("result").path("connections");
            assertThat(connections.fieldNames()).toIterable().containsExactly(client);
            assertThat(connections.path(client).path("transport").asText()).isEqualTo("websocket");
            assertThat(connections.path(client).path("channels").toString()).isEqualTo("[\"news\"]");

            assertThat(send("POST", "/admin/api/call/disconnect",
                    "{\"user\":\"alice\",\"client\":\"" + client + "\"}", cookie).statusCode()).isEqualTo(200);
            assertThat(ws.awaitClose().code()).as("close code").isEqualTo(3503);
        }
    }

    @Test
    void theStatsStreamSendsThroughputAndCounts() throws Exception {
        start(true);
        String cookie = session();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/api/stats"))
                .header("Cookie", cookie).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event: stats");
            JsonNode first = JSON.readTree(lines.readLine().substring("data: ".length()));
            assertThat(first.path("published_total").asLong()).isZero();
            server.node().publish("news", "{}".getBytes(StandardCharsets.UTF_8), "", java.util.Map.of());
            JsonNode later;
            do {
                String line = lines.readLine();
                later = line.startsWith("data: ") ? JSON.readTree(line.substring(6)) : null;
            } while (later == null);
            assertThat(later.path("published_total").asLong()).as("the metrics counted the publish").isEqualTo(1);
            assertThat(later.has("clients")).isTrue();
        }
    }

    @Test
    void withAdminOffEveryAdminPathIs404() throws Exception {
        start(false);
        for (String path : List.of("/admin", "/admin/", "/admin/login", "/admin/api/stats", "/admin/api/call/info")) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(404);
        }
    }

    private static String token(String user) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user).build());
        jwt.sign(new MACSigner(HMAC.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
