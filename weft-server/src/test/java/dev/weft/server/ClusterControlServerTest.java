package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.EmulationRequestCodec;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.server.config.EmulationConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.emulation.EmulationEndpoint;
import dev.weft.server.emulation.HttpStreamEndpoint;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static dev.weft.server.TestServers.json;
import static dev.weft.server.TestServers.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@link WeftServer}s on one shared engine: the control plane between them. {@code info} on either lists
 * both; {@code disconnect}, {@code revoke_token} and {@code invalidate_user_tokens} sent to node B end a
 * session held by node A; an {@code /emulation} request sent to B reaches A's session. Each engine's subclass
 * supplies the engine configuration (a prefix of its own per test).
 */
abstract class ClusterControlServerTest {
    static final String KEY = "cluster-control-key";
    private static final String SECRET = "cluster-control-test-secret-long-enough-for-hs256";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<WeftServer> servers = new ArrayList<>();

    /** The engine every node of one test shares. */
    protected abstract EngineConfig engine();

    /** Cuts {@code server}'s connections to the engine under it, without a goodbye, as a crash would. */
    protected void vanish(WeftServer server) {
        Node.Internals engine = server.node().internalsForTests();
        engine.broker().close();
        engine.presenceManager().close();
        engine.controlBus().close();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.close(Duration.ofSeconds(2)));
        http.close();
    }

    private WeftServer node() {
        ChannelOptions withPresence = TestServers.WITH_HISTORY.toBuilder().presence(true).joinLeave(true).build();
        WeftServer server = TestServers.startAsIs(ClientOptions.builder().tokenHmacSecretKey(SECRET),
                c -> c.withNode(c.node().withChannels(ChannelConfig.DEFAULT.withNamespaces(withPresence, List.of())))
                        .withHttpApi(new HttpApiConfig(KEY, false)).withEngine(engine())
                        .withEmulation(EmulationConfig.enabled()));
        servers.add(server);
        return server;
    }

    /** Two nodes that know each other. */
    private WeftServer[] twoNodes() throws Exception {
        WeftServer a = node();
        WeftServer b = node();
        await().atMost(Duration.ofSeconds(10)).until(() -> api(a, "info", "{}").path("result").path("nodes").size() == 2
                && api(b, "info", "{}").path("result").path("nodes").size() == 2);
        return new WeftServer[] {a, b};
    }

    static String token(String user, String jti) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).jwtID(jti)
                .issueTime(new Date(System.currentTimeMillis() - 60_000))
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    JsonNode api(WeftServer server, String method, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/" + method))
                .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    private static TestWebSocket connected(WeftServer server, String user, String jti) throws Exception {
        TestWebSocket ws = TestWebSocket.connect(server.port());
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token(user, jti) + "\"}}");
        while (true) {
            for (JsonNode node : lines(ws.next())) {
                if (node.path("id").asInt() == 1) {
                    assertThat(node.has("connect")).as(node.toString()).isTrue();
                    return ws;
                }
            }
        }
    }

    @Test
    void infoOnEitherNodeListsBothWithTheirCounts() throws Exception {
        WeftServer[] nodes = twoNodes();
        try (TestWebSocket ignored = connected(nodes[0], "alice", "t1")) {
            String aId = api(nodes[0], "info", "{}").path("result").path("nodes").get(0).path("uid").asText();
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                JsonNode listed = api(nodes[1], "info", "{}").path("result").path("nodes");
                assertThat(listed).hasSize(2);
                JsonNode a = listed.findParents("uid").stream().filter(n -> n.path("uid").asText().equals(aId))
                        .findFirst().orElseThrow();
                assertThat(a.path("num_clients").asInt()).as(listed.toString()).isEqualTo(1);
                assertThat(a.path("num_users").asInt()).isEqualTo(1);
                assertThat(a.path("version").asText()).isNotEmpty();
            });
        }
    }

    @Test
    void aDisconnectSentToNodeBEndsTheClientHeldByNodeA() throws Exception {
        WeftServer[] nodes = twoNodes();
        try (TestWebSocket onA = connected(nodes[0], "alice", "t1")) {
            api(nodes[1], "disconnect", "{\"user\":\"alice\"}");
            assertThat(onA.awaitClose().code()).isEqualTo(3503);
        }
    }

    @Test
    void aTokenRevokedThroughNodeBEndsTheSessionOnNodeA() throws Exception {
        WeftServer[] nodes = twoNodes();
        try (TestWebSocket onA = connected(nodes[0], "alice", "revoked-jti")) {
            api(nodes[1], "revoke_token", "{\"uid\":\"revoked-jti\"}");
            assertThat(onA.awaitClose().code()).isEqualTo(3014);
        }
    }

    @Test
    void userTokensInvalidatedThroughNodeBEndTheSessionOnNodeA() throws Exception {
        WeftServer[] nodes = twoNodes();
        try (TestWebSocket onA = connected(nodes[0], "bob", "t2")) {
            api(nodes[1], "invalidate_user_tokens", "{\"user\":\"bob\"}");
            assertThat(onA.awaitClose().code()).isEqualTo(3014);
        }
    }

    @Test
    void anEmulationRequestSentToNodeBReachesTheSessionOnNodeA() throws Exception {
        WeftServer[] nodes = twoNodes();
        String connect = "{\"id\":1,\"connect\":{\"token\":\"" + token("carol", "t3") + "\"}}";
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + nodes[0].port() + HttpStreamEndpoint.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(connect)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader replies = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            JsonNode connected = json(replies.readLine()).path("connect");
            byte[] subscribe = "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] body = EmulationRequestCodec.encode(ProtocolType.JSON, new EmulationRequest(
                    connected.path("node").asText(), connected.path("session").asText(), subscribe));
            HttpResponse<String> routed = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + nodes[1].port() + EmulationEndpoint.PATH))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(routed.statusCode()).as(routed.body()).isEqualTo(204);
            JsonNode reply;
            do {
                reply = json(replies.readLine());
            } while (reply.path("id").asInt() != 2);
            // A's session ran the command with its own permissions (channel without namespace: no subscribing
            // for clients) and answered on A's stream.
            assertThat(reply.path("error").path("code").asInt()).as(reply.toString()).isEqualTo(103);
        }
    }

    /**
     * Node A loses its engine connections without a goodbye (as a crash would): B declares it gone after 10 s
     * of silence and drops the presence it held, instead of waiting for the presence TTL (60 s).
     */
    @Test
    void thePresenceOfANodeThatVanishesIsGoneFromTheOtherNodeWithinTenSecondsAndAFew() throws Exception {
        WeftServer[] nodes = twoNodes();
        try (TestWebSocket ignored = connected(nodes[0], "dave", "t4")) {
            api(nodes[1], "subscribe", "{\"user\":\"dave\",\"channel\":\"room\"}");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    api(nodes[1], "presence", "{\"channel\":\"room\"}").path("result").path("presence").size() == 1);

            long vanished = System.nanoTime();
            vanish(nodes[0]);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                    api(nodes[1], "presence", "{\"channel\":\"room\"}").path("result").path("presence").isEmpty());
            System.out.printf("ghost presence gone %d ms after its node vanished%n",
                    (System.nanoTime() - vanished) / 1_000_000);
            assertThat(api(nodes[1], "info", "{}").path("result").path("nodes")).hasSize(1);
        }
    }
}
