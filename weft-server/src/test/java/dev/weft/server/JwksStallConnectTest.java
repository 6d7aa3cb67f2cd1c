package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.weft.core.auth.JwksKeySource;
import dev.weft.core.auth.StallingJwksServer;
import dev.weft.core.auth.TestTokens;
import dev.weft.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JWKS endpoint that sends its headers and then drips its body, against a running server over real
 * WebSockets with the default JWKS timings: RS256 clients whose key must be fetched get the temporary error
 * (100, the SDK retries) within the documented 3.3 s, while HMAC clients connect at once and a client already
 * connected keeps receiving publications; once the endpoint recovers, RS256 clients connect. (That a key already
 * known keeps working during a stalled refresh is shown in weft-core's {@code JwksStallTest}.)
 */
class JwksStallConnectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HMAC_SECRET = "jwks-stall-connect-test-secret-long-enough";
    /** The documented bound plus slack for a loaded machine; the fault held such connects for minutes. */
    private static final long ANSWER_WITHIN_MS = JwksKeySource.Settings.DEFAULT.fetchBound().toMillis() + 5_000;

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private static JWTClaimsSet alice() {
        return TestTokens.claims(Map.of("sub", "alice", "exp", TestTokens.now() + 600));
    }

    /** Connects with {@code token}; the connect reply (or error reply). */
    private static JsonNode connect(TestWebSocket ws, String token) throws Exception {
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}");
        while (true) {
            String message = ws.messages.poll(15, TimeUnit.SECONDS);
            assertThat(message).as("connect reply").isNotNull();
            for (String line : message.split("\n")) {
                JsonNode node = JSON.readTree(line);
                if (node.path("id").asInt() == 1) {
                    return node;
                }
            }
        }
    }

    @Test
    void stalledJwksGivesTemporaryErrorsInTimeAndNobodyElseWaits() throws Exception {
        RSAKey key = TestTokens.rsaKey("k1");
        try (StallingJwksServer jwks = new StallingJwksServer()) {
            jwks.stall(true);
            server = WeftServer.start(ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                    "http_server.address", "127.0.0.1", "http_server.port", "0",
                    "client.token.hmac_secret_key", HMAC_SECRET,
                    "client.token.jwks_public_endpoint", jwks.url(),
                    "channel.without_namespace.allow_subscribe_for_client", "true",
                    "engine.type", "memory")).config());

            try (TestWebSocket steady = TestWebSocket.connect(server.port())) {
                assertThat(connect(steady, TestTokens.hmac(JWSAlgorithm.HS256, HMAC_SECRET, alice()))
                        .path("connect").path("client").asText()).isNotEmpty();
                steady.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
                assertThat(steady.next()).contains("\"id\":2");

                String rsaToken = TestTokens.rsa(JWSAlgorithm.RS256, key, alice());
                List<CompletableFuture<JsonNode>> waiting = new ArrayList<>();
                List<TestWebSocket> sockets = new ArrayList<>();
                long started = System.nanoTime();
                var executor = Executors.newVirtualThreadPerTaskExecutor();
                for (int i = 0; i < 4; i++) {
                    TestWebSocket ws = TestWebSocket.connect(server.port());
                    sockets.add(ws);
                    waiting.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return connect(ws, rsaToken);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, executor));
                }
                jwks.awaitStalledRequest();

                // While the fetch hangs: HMAC users connect, the connected client keeps getting publications.
                try (TestWebSocket hmac = TestWebSocket.connect(server.port())) {
                    assertThat(connect(hmac, TestTokens.hmac(JWSAlgorithm.HS256, HMAC_SECRET, alice()))
                            .path("connect").path("client").asText()).isNotEmpty();
                }
                server.node().publish("news", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "", Map.of());
                assertThat(steady.next()).contains("\"n\":1");

                for (CompletableFuture<JsonNode> w : waiting) {
                    assertThat(w.get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS).path("error").path("code").asInt())
                            .as("temporary error, the SDK retries").isEqualTo(100);
                }
                System.out.println("4 RS256 connects against a dripping JWKS answered 100 after "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms (bound "
                        + JwksKeySource.Settings.DEFAULT.fetchBound().toMillis() + " ms)");
                sockets.forEach(TestWebSocket::close);
                executor.close();

                // The endpoint recovers: after the 5 s refetch interval a retry connects.
                jwks.stall(false);
                jwks.serve(key);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    try (TestWebSocket retry = TestWebSocket.connect(server.port())) {
                        assertThat(connect(retry, rsaToken).path("connect").path("client").asText())
                                .isNotEmpty();
                    }
                });
                server.node().publish("news", "{\"n\":2}".getBytes(StandardCharsets.UTF_8), "", Map.of());
                assertThat(steady.next()).contains("\"n\":2");
            }
        }
    }
}
