package dev.weft.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.WeftServer;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.PlainSseConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /sse} end to end: a real server and engine, read the way {@code curl -N} reads (JDK HttpClient,
 * streaming): headers, heartbeats, resume with {@code Last-Event-ID} across a live publisher, resets,
 * several channels on one stream, CORS and every refusal with its JSON body.
 */
class SseEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sse-endpoint-test-secret-at-least-256-bits";
    private static final String APP_ORIGIN = "https://app.example";

    private static WeftServer server;
    private static final AtomicInteger channelSeq = new AtomicInteger();

    @BeforeAll
    static void start() {
        ChannelOptions open = ChannelOptions.builder().historySize(1000).historyTtl(Duration.ofSeconds(300))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
        List<Namespace> namespaces = List.of(
                new Namespace("small", open.toBuilder().historySize(3).build()),
                new Namespace("live", open.toBuilder().historySize(0).historyTtl(Duration.ZERO).build()),
                new Namespace("members", open.toBuilder().allowSubscribeForAnonymous(false).build()),
                new Namespace("room", open.toBuilder().joinLeave(true).build()));
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(SECRET)
                .allowAnonymousConnectWithoutToken(true).build();
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client)
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(open, namespaces)))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withAllowedOrigins(List.of(APP_ORIGIN))
                .withPlainSse(new PlainSseConfig(true, Duration.ofMillis(300), Duration.ofMillis(250)));
        server = WeftServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ofSeconds(2));
    }

    private static String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    private static String fresh(String prefix) {
        return prefix + "c" + channelSeq.incrementAndGet();
    }

    private static void publish(String channel, String json) {
        server.node().publish(channel, json.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    private static long offset(SseTestClient.Block block) {
        String position = block.id().split(",")[0];
        return Long.parseLong(position.substring(position.lastIndexOf('/') + 1));
    }

    private static String token(String user) throws Exception {
        return token(user, Instant.now().plusSeconds(3600));
    }

    private static String token(String user, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** Opens a stream on {@code channel}, publishes {@code n: 1..count} and returns the events' ids. */
    private static List<String> idsOfFirst(String channel, int count) throws Exception {
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel))) {
            sse.next();
            sse.next();
            for (int i = 1; i <= count; i++) {
                publish(channel, "{\"n\":" + i + "}");
            }
            return sse.publications(count).stream().map(SseTestClient.Block::id).toList();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void streamsPublicationsWithProxyProofHeadersARetryHintAndResumableIds() throws Exception {
        String channel = fresh("");
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel))) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(sse.header("Cache-Control")).contains("no-cache");
            assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(sse.next().retry()).isEqualTo(250);
            SseTestClient.Block start = sse.next();
            assertThat(start.event()).isEqualTo("subscribed");
            assertThat(start.data()).isEqualTo("{\"channels\":[\"" + channel + "\"]}");
            assertThat(start.id()).matches(channel + "/[^/]+/0");
            String epoch = start.id().split("/")[1];

            publish(channel, "{\"text\":\"hello\",\"n\":1}");
            server.node().publish(channel, new byte[] {0, 1, 2, (byte) 0xFE}, "", Map.of());

            List<SseTestClient.Block> events = sse.publications(2);
            assertThat(events.get(0).id()).isEqualTo(channel + "/" + epoch + "/1");
            assertThat(events.get(0).data()).isEqualTo("{\"text\":\"hello\",\"n\":1}");
            assertThat(events.get(1).id()).isEqualTo(channel + "/" + epoch + "/2");
            assertThat(events.get(1).data()).isEqualTo("{\"encoding\":\"base64\",\"data\":\"AAEC/g==\"}");
        }
    }

    @Test
    void sendsAHeartbeatCommentWhileIdle() throws Exception {
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + fresh("")))) {
            sse.next();
            sse.next();
            SseTestClient.Block heartbeat = sse.next();
            assertThat(heartbeat.isHeartbeat()).as("%s", heartbeat).isTrue();
            assertThat(heartbeat.comments()).containsExactly("ping");
        }
    }

    @Test
    void resumesFromLastEventIdWithoutGapOrDuplicateWhilePublicationsKeepComing() throws Exception {
        String channel = fresh("");
        String idAfterThird = idsOfFirst(channel, 3).get(2);
        int total = 250; // all within client.recovery_max_publication_limit (300), so recovery succeeds
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 4; i <= total; i++) {
                publish(channel, "{\"n\":" + i + "}");
            }
        });
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel), Map.of("Last-Event-ID", idAfterThird))) {
            List<SseTestClient.Block> events = sse.publications(total - 3);
            publisher.join();
            assertThat(events).extracting(SseEndpointTest::offset)
                    .as("every missed publication, then live, once each and in order")
                    .containsExactlyElementsOf(LongStream.rangeClosed(4, total).boxed().toList());
            assertThat(events).extracting(b -> JSON.readTree(b.data()).path("n").asLong())
                    .containsExactlyElementsOf(LongStream.rangeClosed(4, total).boxed().toList());
        }
    }

    @Test
    void resumesFromTheLastEventIdQueryParameterAndTheHeaderWins() throws Exception {
        String channel = fresh("");
        List<String> ids = idsOfFirst(channel, 4);
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel + "?lastEventId=" + encode(ids.get(1))))) {
            assertThat(sse.publications(2)).extracting(SseEndpointTest::offset).containsExactly(3L, 4L);
        }
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel + "?lastEventId=" + encode(ids.get(0))),
                Map.of("Last-Event-ID", ids.get(2)))) {
            assertThat(sse.publications(1)).extracting(SseEndpointTest::offset)
                    .as("a browser reconnecting sends the newer id in the header; the URL keeps the old one")
                    .containsExactly(4L);
        }
    }

    @Test
    void saysResetWhenHistoryNoLongerHoldsWhatWasMissed() throws Exception {
        String channel = fresh("small:");
        String lastId = idsOfFirst(channel, 1).getFirst();
        for (int i = 2; i <= 10; i++) {
            publish(channel, "{\"n\":" + i + "}");
        }
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel), Map.of("Last-Event-ID", lastId))) {
            sse.next();
            SseTestClient.Block reset = sse.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(JSON.readTree(reset.data()).path("channel").asText()).isEqualTo(channel);
            assertThat(offset(reset)).as("the reset's id is where delivery continues").isEqualTo(10);
            assertThat(sse.nextEvent().event()).as("no partial history after a reset").isEqualTo("subscribed");

            publish(channel, "{\"n\":11}");
            assertThat(sse.publications(1)).extracting(SseEndpointTest::offset).containsExactly(11L);
        }
    }

    @Test
    void saysResetWhenTheStreamStartedANewEpoch() throws Exception {
        String channel = fresh("");
        publish(channel, "{\"n\":1}");
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel),
                Map.of("Last-Event-ID", channel + "/old-epoch/1"))) {
            sse.next();
            assertThat(sse.nextEvent().event()).isEqualTo("reset");
        }
    }

    @Test
    void saysResetWhenResumingAChannelWithoutHistory() throws Exception {
        String channel = fresh("live:");
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel), Map.of("Last-Event-ID", channel + "//0"))) {
            sse.next();
            SseTestClient.Block reset = sse.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(sse.nextEvent().id()).isEqualTo(channel + "//0");
            publish(channel, "{\"live\":true}");
            SseTestClient.Block live = sse.publications(1).getFirst();
            assertThat(live.id()).as("no position to resume from, but the channel is named").isEqualTo(channel + "//0");
            assertThat(live.data()).isEqualTo("{\"live\":true}");
        }
    }

    @Test
    void oneStreamCarriesSeveralChannelsAndItsLastIdResumesEveryOne() throws Exception {
        String a = fresh("");
        String b = fresh("");
        String query = "/sse?channel=" + a + "&channel=" + b;
        String lastId;
        try (SseTestClient sse = SseTestClient.open(url(query))) {
            sse.next();
            assertThat(sse.next().id().split(",")).as("every channel's starting position")
                    .satisfiesExactlyInAnyOrder(p -> assertThat(p).matches(a + "/[^/]+/0"),
                            p -> assertThat(p).matches(b + "/[^/]+/0"));
            publish(a, "{\"a\":1}");
            publish(b, "{\"b\":1}");
            List<SseTestClient.Block> events = sse.publications(2);
            assertThat(events.get(0).id()).as("the event's channel first").startsWith(a + "/").contains("," + b + "/");
            assertThat(events.get(1).id()).startsWith(b + "/").contains("," + a + "/");
            lastId = events.get(1).id();
        }
        publish(a, "{\"a\":2}");
        publish(b, "{\"b\":2}");
        publish(a, "{\"a\":3}");
        try (SseTestClient sse = SseTestClient.open(url(query), Map.of("Last-Event-ID", lastId))) {
            List<String> data = new ArrayList<>();
            sse.publications(3).forEach(e -> data.add(e.data()));
            assertThat(data).containsExactlyInAnyOrder("{\"a\":2}", "{\"a\":3}", "{\"b\":2}");
            assertThat(data.indexOf("{\"a\":2}")).isLessThan(data.indexOf("{\"a\":3}"));
            publish(b, "{\"b\":3}");
            assertThat(sse.publications(1).getFirst().data()).as("nothing twice, then live").isEqualTo("{\"b\":3}");
        }
    }

    @Test
    void sendsJoinAndLeaveOfOtherSubscribers() throws Exception {
        String channel = fresh("room:");
        try (SseTestClient watcher = SseTestClient.open(url("/sse/" + channel))) {
            watcher.next();
            watcher.next();
            try (SseTestClient other = SseTestClient.open(url("/sse/" + channel),
                    Map.of("Authorization", "Bearer " + token("bob")))) {
                other.next();
                SseTestClient.Block join = watcher.nextEvent();
                assertThat(join.event()).isEqualTo("join");
                JsonNode info = JSON.readTree(join.data());
                assertThat(info.path("channel").asText()).isEqualTo(channel);
                assertThat(info.path("user").asText()).isEqualTo("bob");
            }
            SseTestClient.Block leave = watcher.nextEvent();
            assertThat(leave.event()).isEqualTo("leave");
            assertThat(JSON.readTree(leave.data()).path("user").asText()).isEqualTo("bob");
        }
    }

    @Test
    void aServerSideDisconnectEndsTheStreamWithADisconnectEvent() throws Exception {
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + fresh("")))) {
            sse.next();
            sse.next();
            server.node().internalsForTests().hub().members().stream().filter(s -> s.transport() instanceof SseTransport)
                    .forEach(s -> s.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect()));
            SseTestClient.Block bye = sse.nextEvent();
            assertThat(bye.event()).isEqualTo("disconnect");
            assertThat(JSON.readTree(bye.data()).path("code").asInt()).isEqualTo(3011);
            assertThat(JSON.readTree(bye.data()).path("reconnect").asBoolean()).isTrue();
            assertThat(sse.nextEvent()).as("end of stream").isNull();
        }
    }

    @Test
    void theSessionEndsWhenTheClientGoesAway() throws Exception {
        String channel = fresh("");
        SseTestClient sse = SseTestClient.open(url("/sse/" + channel));
        sse.next();
        sse.next();
        assertThat(server.node().internalsForTests().hub().subscriberCount(channel)).isEqualTo(1);
        sse.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().subscriberCount(channel) == 0);
    }

    @Test
    void authenticatesWithABearerHeaderOrATokenQueryParameter() throws Exception {
        String channel = fresh("members:");
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel),
                Map.of("Authorization", "Bearer " + token("alice")))) {
            assertThat(sse.status()).isEqualTo(200);
        }
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + channel + "?token=" + token("alice")))) {
            assertThat(sse.status()).isEqualTo(200);
        }
    }

    private static JsonNode refused(String pathAndQuery, Map<String, String> headers, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET();
        headers.forEach(request::header);
        HttpResponse<String> response = SseTestClient.send(request);
        assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    @Test
    void refusesBadRequestsWithAStatusAndAJsonErrorTheClientCanRead() throws Exception {
        String channel = fresh("");
        assertThat(refused("/sse/" + channel, Map.of("Last-Event-ID", "garbage"), 400).path("error")
                .path("message").asText()).contains("Last-Event-ID is not an id this server sent");
        assertThat(refused("/sse/" + channel + "?lastEventId=x%2Fy", Map.of(), 400).path("error").path("message")
                .asText()).contains("lastEventId");
        assertThat(refused("/sse/" + channel, Map.of("Last-Event-ID", "elsewhere/e/4"), 400).path("error")
                .path("message").asText()).contains("'elsewhere'");
        assertThat(refused("/sse/nowhere:" + channel, Map.of(), 404).path("error").path("message").asText())
                .contains("unknown channel");
        assertThat(refused("/sse", Map.of(), 400).path("error").path("message").asText()).contains("no channel");
        assertThat(refused("/sse/" + channel, Map.of("Origin", "https://evil.example"), 403).path("error")
                .path("message").asText()).contains("Origin");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().subscriberCount(channel) == 0);
    }

    @Test
    void refusesWhatTheEngineRefusesWithTheDisconnectAsJson() throws Exception {
        JsonNode forbidden = refused("/sse/" + fresh("members:"), Map.of(), 403).path("disconnect");
        assertThat(forbidden.path("code").asInt()).as("anonymous may not read members:").isEqualTo(3507);
        JsonNode badToken = refused("/sse/" + fresh(""), Map.of("Authorization", "Bearer not.a.jwt"), 401)
                .path("disconnect");
        assertThat(badToken.path("code").asInt()).isEqualTo(3500);
        assertThat(badToken.path("reason").asText()).isEqualTo("invalid token");
        JsonNode expired = refused("/sse/" + fresh(""),
                Map.of("Authorization", "Bearer " + token("alice", Instant.now().minusSeconds(60))), 401)
                .path("disconnect");
        assertThat(expired.path("code").asInt()).as("a 200 that ends would make the browser retry the same token")
                .isEqualTo(3005);
    }

    @Test
    void answersCorsForAllowedOriginsAndPreflights() throws Exception {
        try (SseTestClient sse = SseTestClient.open(url("/sse/" + fresh("")), Map.of("Origin", APP_ORIGIN))) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Access-Control-Allow-Origin")).isEqualTo(APP_ORIGIN);
            assertThat(sse.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        }
        HttpResponse<String> preflight = SseTestClient.send(HttpRequest.newBuilder(URI.create(url("/sse/news")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP_ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "last-event-id, authorization"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                .containsIgnoringCase("last-event-id").containsIgnoringCase("authorization");
    }
}
