package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.weft.core.auth.JwksServer;
import dev.weft.core.auth.TestTokens;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.config.ConfigException;
import dev.weft.server.config.ConfigLoader;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token options as an operator writes them (Centrifugo v6 keys through {@link ConfigLoader}), checked by a
 * running server over a real WebSocket: an RS256 key from PEM, an Ed25519 key from a JWKS endpoint, the
 * audience check, and a revocation through the server API closing a live connection. Attacks stopped
 * end-to-end: HS256 forged against an RSA-only server, a token for another audience, a revoked token.
 */
class TokenConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "token-config-test-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private void start(Map<String, String> options) throws ConfigException {
        Map<String, String> all = new HashMap<>(options);
        all.put("http_server.address", "127.0.0.1");
        all.put("http_server.port", "0");
        all.put("http_api.key", API_KEY);
        all.put("channel.without_namespace.allow_subscribe_for_client", "true");
        all.put("engine.type", "memory");
        WeftConfig config = ConfigLoader.load(Optional.empty(), Map.of(), all).config();
        server = WeftServer.start(config);
    }

    /** Sends connect with {@code token}; returns the reply, or null when the server closed the socket instead. */
    private static JsonNode connect(TestWebSocket ws, String token) throws Exception {
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}");
        while (true) {
            String message = ws.messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            if (message == null) {
                return null;
            }
            for (String line : message.split("\n")) {
                JsonNode node = JSON.readTree(line);
                if (node.path("id").asInt() == 1) {
                    return node;
                }
            }
        }
    }

    private static JWTClaimsSet claims(String user, Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(extra);
        all.put("sub", user);
        all.put("exp", TestTokens.now() + 600);
        return TestTokens.claims(all);
    }

    @Test
    void rsaKeyFromConfigAcceptsRs256AndRefusesHs256ForgedWithIt() throws Exception {
        RSAKey key = TestTokens.rsaKey("k");
        String pem = TestTokens.pem(key);
        start(Map.of("client.token.rsa_public_key", pem, "client.token.audience", "weft"));

        try (TestWebSocket ok = TestWebSocket.connect(server.port())) {
            JsonNode reply = connect(ok, TestTokens.rsa(JWSAlgorithm.RS256, key, claims("alice", Map.of("aud", "weft"))));
            assertThat(reply.path("connect").path("client").asText()).isNotEmpty();
        }
        try (TestWebSocket forged = TestWebSocket.connect(server.port())) {
            String hs = TestTokens.hmacWithKeyBytes(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    JWSAlgorithm.HS256, claims("admin", Map.of("aud", "weft")));
            connect(forged, hs);
            assertThat(forged.awaitClose().code()).isEqualTo(DisconnectCode.INVALID_TOKEN.code());
        }
        try (TestWebSocket otherAudience = TestWebSocket.connect(server.port())) {
            connect(otherAudience, TestTokens.rsa(JWSAlgorithm.RS256, key, claims("alice", Map.of("aud", "billing"))));
            assertThat(otherAudience.awaitClose().code()).isEqualTo(DisconnectCode.INVALID_TOKEN.code());
        }
    }

    @Test
    void ed25519KeyFromJwksEndpointAndRevocationThroughTheServerApi() throws Exception {
        TestTokens.Ed25519 key = TestTokens.ed25519Key("ed-1");
        try (JwksServer jwks = new JwksServer()) {
            jwks.serve(key.jwk());
            start(Map.of("client.token.jwks_public_endpoint", jwks.url()));
            try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
                JsonNode reply = connect(ws, TestTokens.ed25519(JWSAlgorithm.EdDSA, key,
                        claims("alice", Map.of("jti", "session-1"))));
                assertThat(reply.path("connect").path("client").asText()).isNotEmpty();

                HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/api/revoke_token"))
                        .header("X-API-Key", API_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"uid\":\"session-1\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(revoked.body()).isEqualTo("{\"result\":{}}");
                assertThat(ws.awaitClose().code()).isEqualTo(DisconnectCode.STATE_INVALIDATED.code());
            }
            try (TestWebSocket again = TestWebSocket.connect(server.port())) {
                JsonNode reply = connect(again, TestTokens.ed25519(JWSAlgorithm.EdDSA, key,
                        claims("alice", Map.of("jti", "session-1"))));
                assertThat(reply.path("error").path("code").asInt()).isEqualTo(113);
            }
        }
    }

    @Test
    void unreadableKeysAndConflictingOptionsFailAtLoadNotAtFirstConnect() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("client.token.rsa_public_key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client.token.rsa_public_key");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("client.subscription_token.jwks_public_endpoint", "https://{{tenant}}.example/jwks")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("templated");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("client.token.audience", "a", "client.token.audience_regex", "^a$")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client.token");
    }
}
