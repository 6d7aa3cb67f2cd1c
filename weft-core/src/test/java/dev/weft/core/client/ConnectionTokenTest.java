package dev.weft.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.weft.core.ClientOptions;
import dev.weft.core.auth.JwksServer;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.auth.TokenOptions;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.weft.core.client.AuthFixture.connect;
import static dev.weft.core.client.AuthFixture.connectToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client is told when its connection token is refused. Attacks stopped: a tampered token, one signed
 * with a guessed secret, an unsigned ({@code alg: none}) one, a subscription token used to connect, an
 * anonymous token where those are disallowed. An unreachable JWKS endpoint is a temporary error (the SDK
 * retries) and connections succeed again once it is back.
 */
class ConnectionTokenTest {
    private AuthFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static long in(long seconds) {
        return TestTokens.now() + seconds;
    }

    private Reply connectWith(String token) {
        TestClient c = new TestClient(fixture.node);
        int id = c.send(connect(token));
        await().until(() -> c.transport().closedWith() != null
                || c.transport().replies().stream().anyMatch(r -> r.id() == id));
        return c.transport().replies().stream().filter(r -> r.id() == id).findFirst().orElse(null);
    }

    private DisconnectCode disconnectFor(String token) {
        TestClient c = new TestClient(fixture.node);
        c.send(connect(token));
        int code = c.awaitDisconnect().code();
        for (DisconnectCode d : DisconnectCode.values()) {
            if (d.code() == code) {
                return d;
            }
        }
        throw new AssertionError("unknown code " + code);
    }

    @Test
    void forgedTokensDisconnectWithInvalidToken() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        String good = connectToken("alice", in(60), Map.of());
        String tampered = good.substring(0, good.length() - 2) + (good.endsWith("xx") ? "yy" : "xx");
        String guessed = TestTokens.hmac("another-secret", TestTokens.user("admin", in(60)));
        String unsigned = TestTokens.raw("{\"alg\":\"none\"}", "{\"sub\":\"admin\"}", "");
        String subscriptionTokenAsConnection = AuthFixture.subscriptionToken("alice", "$board", in(60), Map.of());
        for (String token : new String[] {tampered, guessed, unsigned, subscriptionTokenAsConnection, "garbage"}) {
            assertThat(disconnectFor(token)).as(token).isEqualTo(DisconnectCode.INVALID_TOKEN);
        }
    }

    @Test
    void connectWithoutTokenIsRefusedUnlessAnonymousIsAllowed() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        assertThat(disconnectFor("")).isEqualTo(DisconnectCode.BAD_REQUEST);
    }

    @Test
    void anonymousTokensCanBeDisallowed() {
        fixture = new AuthFixture(AuthFixture.hmac().disallowAnonymousConnectionTokens(true).build());
        assertThat(disconnectFor(connectToken("", in(60), Map.of()))).isEqualTo(DisconnectCode.PERMISSION_DENIED);
    }

    @Test
    void tokenClaimsReachTheConnection() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        TestClient c = new TestClient(fixture.node);
        String token = connectToken("alice", in(600), Map.of("channels", java.util.List.of("room:news"),
                "subs", Map.of("room:chat", Map.of("data", Map.of("motd", "hi")))));
        ConnectResult result = (ConnectResult) c.call(connect(token)).result();
        assertThat(result.ttl()).isBetween(590, 600);
        assertThat(result.subs()).containsOnlyKeys("room:chat", "room:news");
        assertThat(new String(result.subs().get("room:chat").data(), StandardCharsets.UTF_8))
                .isEqualTo("{\"motd\":\"hi\"}");
    }

    @Test
    void unreachableJwksIsATemporaryErrorAndConnectRecovers() throws Exception {
        RSAKey key = TestTokens.rsaKey("k1");
        try (JwksServer jwks = new JwksServer()) {
            jwks.serve(key);
            jwks.stop();
            fixture = new AuthFixture(ClientOptions.builder()
                    .token(TokenOptions.builder().jwksPublicEndpoint(jwks.url()).build()).build());
            String token = TestTokens.rsa(JWSAlgorithm.RS256, key, TestTokens.user("alice", in(600)));

            Reply refused = connectWith(token);
            assertThat(refused).as("an error reply, not a disconnect").isNotNull();
            assertThat(refused.error().code()).isEqualTo(ErrorCode.INTERNAL.code());
            assertThat(refused.error().temporary()).isTrue();

            jwks.restart();
            // The next attempt after the refetch interval (5 s) succeeds, as the SDK's backoff would retry.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Reply r = connectWith(token);
                        return r != null && r.error() == null;
                    });
        }
    }
}
