package dev.weft.server;

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
import dev.weft.core.channel.Namespace;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.UniConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.server.uni.UniStreamEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Centrifugo's one-way transports against the real engine over real sockets: {@code uni_sse} and
 * {@code uni_http_stream} with the JDK HttpClient and a raw socket ({@code curl -N} style), {@code uni_websocket}
 * with the JDK WebSocket. JWT auth, publications from {@code /api/publish}, pings, recovery after a drop,
 * refusals as HTTP statuses or close codes, and nothing left behind when clients go away or fall behind.
 */
class UniTransportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "uni-transports-test-secret-long-enough-for-hs256";
    private static final String KEY = "uni-api-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    private WeftServer start(UnaryOperator<ClientOptions.Builder> client) {
        ChannelOptions open = ChannelOptions.builder().allowSubscribeForClient(true).build();
        ChannelOptions history = open.toBuilder().historySize(100).historyTtl(Duration.ofMinutes(5)).build();
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(open, List.of(
                new Namespace("hist", history), new Namespace("closed", ChannelOptions.DEFAULT)));
        ClientOptions options = client.apply(ClientOptions.builder().tokenHmacSecretKey(SECRET)
                .pingInterval(Duration.ofSeconds(1))).build();
        UniConfig uni = UniConfig.DEFAULT
                .withSse(UniConfig.DEFAULT.sse().withEnabled(true))
                .withHttpStream(new UniConfig.Stream(true, "/connection/uni_http_stream", 1024))
                .withWebsocket(UniConfig.DEFAULT.websocket().withEnabled(true));
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(options).withChannels(channels))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(KEY, false))
                .withAllowedOrigins(List.of("https://app.example"))
                .withUni(uni);
        server = WeftServer.start(config);
        return server;
    }

    private WeftServer start() {
        return start(b -> b);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    static String token(String user, Map<String, Object> claims) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(user)
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000));
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), b.build());
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String connectJson(String token, String subs) {
        return "{\"token\":\"" + token + "\"" + (subs == null ? "" : ",\"subs\":" + subs) + "}";
    }

    private void publish(String channel, String data) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/publish"))
                .header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"data\":" + data + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).startsWith("{\"result\"");
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static String query(String connect) {
        return "?cf_connect=" + URLEncoder.encode(connect, StandardCharsets.UTF_8);
    }

    // ---- one client abstraction over the three transports

    enum Kind { UNI_SSE, UNI_HTTP_STREAM, UNI_WEBSOCKET }

    /** A connected one-way client: hands out pushes (as JSON) in arrival order. */
    interface UniClient extends AutoCloseable {
        /** The next push, empty pushes (pings) included. */
        JsonNode next() throws Exception;

        /** The next push that is not a ping. */
        default JsonNode nextNotPing() throws Exception {
            for (JsonNode push = next(); ; push = next()) {
                if (!push.isEmpty()) {
                    return push;
                }
            }
        }

        @Override
        void close() throws Exception;
    }

    private UniClient connect(Kind kind, String connect) throws Exception {
        return switch (kind) {
            case UNI_SSE -> {
                HttpLines lines = HttpLines.open(http, HttpRequest.newBuilder(uri("/connection/uni_sse" + query(connect)))
                        .build());
                assertThat(lines.response().statusCode()).isEqualTo(200);
                yield new UniClient() {
                    @Override
                    public JsonNode next() throws Exception {
                        for (String line = lines.next(); ; line = lines.next()) {
                            if (line.startsWith("data: ")) {
                                return JSON.readTree(line.substring(6));
                            }
                        }
                    }

                    @Override
                    public void close() throws Exception {
                        lines.close();
                    }
                };
            }
            case UNI_HTTP_STREAM -> {
                HttpLines lines = HttpLines.open(http, HttpRequest.newBuilder(uri("/connection/uni_http_stream"))
                        .POST(HttpRequest.BodyPublishers.ofString(connect)).build());
                assertThat(lines.response().statusCode()).isEqualTo(200);
                yield new UniClient() {
                    @Override
                    public JsonNode next() throws Exception {
                        return JSON.readTree(lines.next());
                    }

                    @Override
                    public void close() throws Exception {
                        lines.close();
                    }
                };
            }
            case UNI_WEBSOCKET -> {
                TestWebSocket ws = TestWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port()
                        + "/connection/uni_websocket"));
                ws.send(connect);
                yield new UniClient() {
                    @Override
                    public JsonNode next() throws Exception {
                        return JSON.readTree(ws.next());
                    }

                    @Override
                    public void close() {
                        ws.close();
                    }
                };
            }
        };
    }

    // ---- the three transports, same behaviour

    @ParameterizedTest
    @EnumSource(Kind.class)
    void connectsWithAJwtAndReceivesPublicationsAndPings(Kind kind) throws Exception {
        start();
        try (UniClient client = connect(kind, connectJson(token("alice", Map.of("channels", List.of("news"))),
                "{\"hist:feed\":{}}"))) {
            JsonNode connect = client.nextNotPing().get("connect");
            assertThat(connect.get("client").asText()).isNotEmpty();
            assertThat(connect.get("ping").asInt()).isEqualTo(1);
            assertThat(connect.has("pong")).as("a one-way client is not asked to answer pings").isFalse();
            assertThat(connect.get("subs").has("news")).as("server-side subscription from the token").isTrue();
            assertThat(connect.get("subs").get("hist:feed").get("recoverable").asBoolean())
                    .as("a channel named in subs is subscribed, recoverable").isTrue();

            publish("news", "{\"text\":\"hi\"}");
            JsonNode pub = client.nextNotPing();
            assertThat(pub.get("channel").asText()).isEqualTo("news");
            assertThat(pub.get("pub").get("data").get("text").asText()).isEqualTo("hi");

            publish("hist:feed", "{\"n\":1}");
            JsonNode feed = client.nextNotPing();
            assertThat(feed.get("channel").asText()).isEqualTo("hist:feed");
            assertThat(feed.get("pub").get("offset").asLong()).isEqualTo(1);

            assertThat(client.next()).as("an empty push: the ping, every client.ping_interval").isEmpty();
        }
        await().until(() -> server.node().connectionCount() == 0 && server.node().internalsForTests().hub().subscriberCount("news") == 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void recoversWhatWasMissedWhileAwayThroughCfConnectSubs(Kind kind) throws Exception {
        start();
        String token = token("alice", Map.of());
        String epoch;
        long offset;
        try (UniClient first = connect(kind, connectJson(token, "{\"hist:r\":{}}"))) {
            JsonNode sub = first.nextNotPing().get("connect").get("subs").get("hist:r");
            epoch = sub.get("epoch").asText();
            publish("hist:r", "1");
            offset = first.nextNotPing().get("pub").get("offset").asLong();
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("hist:r") == 0);
        publish("hist:r", "2");
        publish("hist:r", "3");

        String position = "{\"hist:r\":{\"recover\":true,\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}}";
        try (UniClient again = connect(kind, connectJson(token, position))) {
            JsonNode sub = again.nextNotPing().get("connect").get("subs").get("hist:r");
            assertThat(sub.get("recovered").asBoolean()).isTrue();
            List<Integer> recovered = new ArrayList<>();
            sub.get("publications").forEach(p -> recovered.add(p.get("data").asInt()));
            assertThat(recovered).containsExactly(2, 3);

            publish("hist:r", "4");
            JsonNode live = again.nextNotPing();
            assertThat(live.get("pub").get("data").asInt()).isEqualTo(4);
            assertThat(live.get("pub").get("offset").asLong()).isEqualTo(offset + 3);
        }
    }

    // ---- refusals: HTTP status + JSON before the stream, close code on the WebSocket

    @Test
    void refusalsBeforeTheStreamAreHttpStatusesWithTheDisconnectAsJson() throws Exception {
        start();
        String alice = token("alice", Map.of());
        record Case(String connect, int status, int code) {
        }
        List<Case> cases = List.of(
                new Case(connectJson("not-a-jwt", null), 401, 3500),
                new Case(connectJson(alice, "{\"nosuchns:x\":{}}"), 400, 3501),
                new Case(connectJson(alice, "{\"closed:x\":{}}"), 403, 3507),
                new Case("{}", 400, 3501));
        for (Case c : cases) {
            for (String path : List.of("/connection/uni_sse" + query(c.connect()), "/connection/uni_http_stream")) {
                boolean post = path.endsWith("uni_http_stream");
                try (RawHttpStream response = RawHttpStream.open(server.port(), post ? "POST" : "GET", path,
                        post ? c.connect() : null)) {
                    assertThat(response.status()).as(c + " on " + path).isEqualTo(c.status());
                    assertThat(response.header("content-type")).isEqualTo("application/json");
                    JsonNode body = JSON.readTree(response.nextLine());
                    assertThat(body.get("disconnect").get("code").asInt()).isEqualTo(c.code());
                }
            }
        }
        await().until(() -> server.node().connectionCount() == 0
                && server.node().internalsForTests().hub().subscriberCount("closed:x") == 0);
    }

    @Test
    void malformedCfConnectIs400WithAJsonErrorAndALogLine() throws Exception {
        start();
        try (LogCapture log = new LogCapture(UniStreamEndpoint.class);
             RawHttpStream response = RawHttpStream.open(server.port(), "GET",
                     "/connection/uni_sse" + query("{\"token\":"), null)) {
            assertThat(response.status()).isEqualTo(400);
            JsonNode body = JSON.readTree(response.nextLine());
            assertThat(body.get("disconnect").get("code").asInt()).isEqualTo(3501);
            assertThat(body.get("disconnect").get("reason").asText()).contains("cf_connect");
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .contains("refused GET /connection/uni_sse").contains("400").contains("malformed connect request"));
            assertThat(log.messages()).noneSatisfy(m -> assertThat(m).contains("token"));
        }
        try (RawHttpStream response = RawHttpStream.open(server.port(), "POST", "/connection/uni_http_stream",
                "[1,2]")) {
            assertThat(response.status()).isEqualTo(400);
        }
    }

    @Test
    void aBodyOverMaxRequestBodySizeIs413() throws Exception {
        start();
        String big = connectJson(token("alice", Map.of()), "{\"" + "x".repeat(2000) + "\":{}}");
        try (RawHttpStream response = RawHttpStream.open(server.port(), "POST", "/connection/uni_http_stream", big)) {
            assertThat(response.status()).isEqualTo(413);
            assertThat(JSON.readTree(response.nextLine()).get("disconnect").get("code").asInt()).isEqualTo(3501);
        }
    }

    @Test
    void uniWebSocketClosesWithTheCodeAfterTheDisconnectPush() throws Exception {
        start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/connection/uni_websocket");
        try (TestWebSocket ws = TestWebSocket.connect(uri)) {
            ws.send(connectJson("not-a-jwt", null));
            assertThat(JSON.readTree(ws.next()).get("disconnect").get("code").asInt()).isEqualTo(3500);
            TestWebSocket.Close close = ws.awaitClose();
            assertThat(close.code()).isEqualTo(3500);
            assertThat(close.reason()).isEqualTo("invalid token");
        }
        try (TestWebSocket ws = TestWebSocket.connect(uri)) {
            ws.send("not json");
            assertThat(ws.awaitClose().code()).isEqualTo(3501);
        }
        String connect = connectJson(token("bob", Map.of("channels", List.of("news"))), null);
        try (TestWebSocket ws = TestWebSocket.connect(URI.create(uri + query(connect)))) {
            assertThat(JSON.readTree(ws.next()).has("connect")).as("cf_connect in the URL, no first message").isTrue();
            ws.send("ignored: a one-way client has nothing to say");
            publish("news", "7");
            JsonNode pub = JSON.readTree(ws.next());
            while (pub.isEmpty()) {
                pub = JSON.readTree(ws.next());
            }
            assertThat(pub.get("pub").get("data").asInt()).isEqualTo(7);
        }
        try (RawHttpStream refused = RawHttpStream.open(server.port(), "GET",
                "/connection/uni_websocket" + query("{nope"), null, "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")) {
            assertThat(refused.status()).as("malformed cf_connect is refused before upgrading").isEqualTo(400);
        }
    }

    @Test
    void uniWebSocketSendsPingFramesAndLetsGoOfAPeerThatAnswersNone() throws Exception {
        start(); // client.ping_interval 1s
        String connect = query(connectJson(token("alice", Map.of()), "{\"news\":{}}"));
        try (RawWebSocket silent = new RawWebSocket(server.port(), "/connection/uni_websocket" + connect)) {
            List<Integer> opcodes = new ArrayList<>();
            RawWebSocket.Frame frame = silent.readFrame();
            assertThat(frame.text()).startsWith("{\"connect\":");
            while (frame.opcode() != 8) {
                opcodes.add(frame.opcode());
                frame = silent.readFrame();
            }
            assertThat(opcodes).as("WebSocket pings (opcode 9) next to {} pushes").contains(9);
            assertThat(frame.closeCode()).isEqualTo(3012);
            assertThat(frame.closeReason()).isEqualTo("no pong");
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 0);

        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/connection/uni_websocket" + connect);
        try (TestWebSocket answering = TestWebSocket.connect(uri)) { // the JDK client answers pings itself
            assertThat(answering.next()).startsWith("{\"connect\":");
            await("still open over several ping intervals").during(Duration.ofMillis(3500))
                    .atMost(Duration.ofSeconds(5)).until(() -> !answering.closed.isDone());
        }
    }

    // ---- HTTP details

    @Test
    void streamHeadersKeepProxiesFromBufferingAndAllowCorsForAllowedOrigins() throws Exception {
        start();
        String connect = query(connectJson(token("alice", Map.of()), null));
        try (RawHttpStream sse = RawHttpStream.open(server.port(), "GET", "/connection/uni_sse" + connect, null,
                "Origin", "https://app.example")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(sse.header("cache-control")).contains("no-cache");
            assertThat(sse.header("x-accel-buffering")).isEqualTo("no");
            assertThat(sse.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(sse.header("access-control-allow-origin")).isEqualTo("https://app.example");
            assertThat(sse.header("access-control-allow-credentials")).isEqualTo("true");
            assertThat(sse.nextLine()).startsWith("data: {\"connect\":");
            assertThat(sse.nextLine()).as("blank line ends the event").isEmpty();
        }
        try (RawHttpStream preflight = RawHttpStream.open(server.port(), "OPTIONS", "/connection/uni_http_stream",
                null, "Origin", "https://app.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type")) {
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("access-control-allow-methods")).contains("POST");
            assertThat(preflight.header("access-control-allow-headers")).isEqualTo("content-type");
        }
        try (RawHttpStream foreign = RawHttpStream.open(server.port(), "GET", "/connection/uni_sse" + connect, null,
                "Origin", "https://evil.example")) {
            assertThat(foreign.status()).isEqualTo(403);
        }
        String body = connectJson(token("alice", Map.of()), null);
        try (RawHttpStream post = RawHttpStream.open(server.port(), "POST", "/connection/uni_sse", body)) {
            assertThat(post.status()).as("uni_sse takes the connect request as POST body too").isEqualTo(200);
            assertThat(post.nextLine()).startsWith("data: {\"connect\":");
        }
        try (RawHttpStream bearer = RawHttpStream.open(server.port(), "POST", "/connection/uni_http_stream", "{}",
                "Authorization", "Bearer " + token("carol", Map.of()))) {
            assertThat(bearer.status()).as("the token may come in the Authorization header").isEqualTo(200);
            assertThat(bearer.header("content-type")).isEqualTo("application/x-ndjson");
            assertThat(bearer.nextLine()).startsWith("{\"connect\":");
        }
    }

    @Test
    void theServerEndsStreamsWithADisconnectPushOnShutdown() throws Exception {
        start();
        try (RawHttpStream stream = RawHttpStream.open(server.port(), "POST", "/connection/uni_http_stream",
                connectJson(token("alice", Map.of()), null))) {
            assertThat(stream.nextLine()).startsWith("{\"connect\":");
            server.close(Duration.ofSeconds(2));
            List<String> rest = stream.restUntilEnd(Duration.ofSeconds(10));
            assertThat(rest).last().isEqualTo("{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}}");
        }
    }

    @Test
    void personalChannelFromConfigIsSubscribedServerSide() throws Exception {
        start(b -> b.subscribeToUserPersonalChannel(true));
        try (UniClient client = connect(Kind.UNI_HTTP_STREAM, connectJson(token("alice", Map.of()), null))) {
            assertThat(client.nextNotPing().get("connect").get("subs").has("#alice")).isTrue();
            publish("#alice", "{\"note\":\"for alice\"}");
            assertThat(client.nextNotPing().get("channel").asText()).isEqualTo("#alice");
        }
    }

    // ---- nothing leaks

    @Test
    void aClientThatGoesAwayMidStreamLeavesNothingBehind() throws Exception {
        start();
        String connect = connectJson(token("alice", Map.of()), "{\"news\":{}}");
        List<RawHttpStream> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawHttpStream s = RawHttpStream.open(server.port(), "POST", "/connection/uni_http_stream", connect);
            assertThat(s.nextLine()).startsWith("{\"connect\":");
            streams.add(s);
        }
        assertThat(server.node().internalsForTests().hub().subscriberCount("news")).isEqualTo(5);
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 2000 && !Thread.currentThread().isInterrupted(); i++) {
                server.node().publish("news", ("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(1000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8), "", Map.of());
            }
        });
        for (RawHttpStream s : streams) {
            s.nextLine();
            s.close(); // reset while publications are being written to it
        }
        publisher.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 0
                && server.node().connectionCount() == 0);
    }

    @Test
    void aReaderThatStopsReadingIsDisconnectedNotBuffered() throws Exception {
        start(b -> b.queueMaxSize(64 * 1024));
        String connect = connectJson(token("alice", Map.of()), "{\"news\":{}}");
        try (RawHttpStream stalled = RawHttpStream.openNotReading(server.port(), "POST",
                "/connection/uni_http_stream", connect)) {
            assertThat(stalled.status()).isEqualTo(200);
            await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 1);
            byte[] payload = ("{\"pad\":\"" + "x".repeat(16 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            int published = 0;
            // The socket buffers take a few MB; past them the 64 KiB queue fills and the server lets go. The cut
            // runs on the server's own threads: pausing between publications lets them run on a loaded machine.
            while (published < 5000 && server.node().internalsForTests().hub().subscriberCount("news") == 1) {
                server.node().publish("news", payload, "", Map.of());
                published++;
                Thread.sleep(1);
            }
            int sent = published;
            await().atMost(Duration.ofSeconds(10)).until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 0
                    && server.node().connectionCount() == 0);
            assertThat(sent).as("cut off long before everything was published").isLessThan(5000);
        }
    }
}
