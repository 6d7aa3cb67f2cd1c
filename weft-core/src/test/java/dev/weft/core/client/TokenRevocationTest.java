package dev.weft.core.client;

import dev.weft.core.auth.TestTokens;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.UnsubscribePush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.weft.core.client.AuthFixture.connect;
import static dev.weft.core.client.AuthFixture.connectToken;
import static dev.weft.core.client.AuthFixture.subscribe;
import static dev.weft.core.client.AuthFixture.subscriptionToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Token revocation ({@code jti}) and per-user invalidation. Attacks stopped: connecting, refreshing or
 * subscribing with a stolen token after it was revoked (error 113), and staying connected or subscribed on
 * it (disconnect 3014 / unsubscribe 2502, so the SDK must come back with a new token).
 */
class TokenRevocationTest {
    private AuthFixture fixture;

    @BeforeEach
    void start() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static long in(long seconds) {
        return TestTokens.now() + seconds;
    }

    @Test
    void revokedTokenCannotConnect() {
        String stolen = connectToken("alice", in(3600), Map.of("jti", "token-1"));
        fixture.node.tokenRevocations().revokeToken("token-1", in(3600));
        TestClient thief = new TestClient(fixture.node);
        assertThat(thief.call(connect(stolen)).error().code()).isEqualTo(ErrorCode.TOKEN_REVOKED.code());
        assertThat(thief.session().isConnected()).isFalse();
        // Another token of the same user still works.
        fixture.connected("alice", Map.of("jti", "token-2"));
    }

    @Test
    void connectionOnARevokedTokenIsDisconnectedAtOnce() {
        TestClient alice = fixture.connected("alice", Map.of("jti", "token-1"));
        TestClient bob = fixture.connected("bob", Map.of("jti", "token-2"));
        fixture.node.tokenRevocations().revokeToken("token-1", 0);
        assertThat(alice.awaitDisconnect()).isEqualTo(DisconnectCode.STATE_INVALIDATED.disconnect());
        assertThat(alice.awaitDisconnect().reconnect()).as("SDK gets a new token and reconnects").isTrue();
        assertThat(bob.transport().closedWith()).isNull();
    }

    @Test
    void invalidatedUserCannotUseOlderTokensButNewerOnesWork() {
        long issuedLongAgo = TestTokens.now() - 600;
        TestClient old = fixture.connected("alice", Map.of("iat", issuedLongAgo));
        TestClient withoutIat = fixture.connected("alice");
        TestClient bob = fixture.connected("bob", Map.of("iat", issuedLongAgo));
        fixture.node.tokenRevocations().invalidateUserTokens("alice", TestTokens.now() - 60);
        assertThat(old.awaitDisconnect().code()).isEqualTo(DisconnectCode.STATE_INVALIDATED.code());
        assertThat(withoutIat.awaitDisconnect().code()).isEqualTo(DisconnectCode.STATE_INVALIDATED.code());
        assertThat(bob.transport().closedWith()).isNull();

        TestClient again = new TestClient(fixture.node);
        assertThat(again.call(connect(connectToken("alice", in(3600), Map.of("iat", issuedLongAgo)))).error().code())
                .isEqualTo(ErrorCode.TOKEN_REVOKED.code());
        fixture.connected("alice", Map.of("iat", TestTokens.now()));
    }

    @Test
    void refreshWithARevokedTokenIsRefused() {
        TestClient alice = fixture.connected("alice", Map.of("jti", "token-1"));
        fixture.node.tokenRevocations().revokeToken("token-old", 0);
        assertThat(alice.call(new RefreshRequest(connectToken("alice", in(3600), Map.of("jti", "token-old"))))
                .error().code()).isEqualTo(ErrorCode.TOKEN_REVOKED.code());
    }

    @Test
    void revokedSubscriptionTokenEndsOnlyThatSubscription() {
        TestClient alice = fixture.connected("alice");
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(3600),
                Map.of("jti", "sub-1")))).error()).isNull();
        assertThat(alice.call(SubscribeRequest.of("room:1")).error()).isNull();
        fixture.node.tokenRevocations().revokeToken("sub-1", 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !alice.pushes("$board", UnsubscribePush.class).isEmpty());
        assertThat(alice.pushes("$board", UnsubscribePush.class).get(0).code()).isEqualTo(2502);
        await().until(() -> fixture.node.internalsForTests().hub().subscriberCount("$board") == 0);
        assertThat(fixture.node.internalsForTests().hub().subscriberCount("room:1")).isEqualTo(1);
        assertThat(alice.transport().closedWith()).isNull();
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(3600),
                Map.of("jti", "sub-1")))).error().code()).isEqualTo(ErrorCode.TOKEN_REVOKED.code());
    }

    @Test
    void revocationsOfExpiredTokensAreForgottenOnSweep() {
        fixture.node.tokenRevocations().revokeToken("gone", TestTokens.now() - 1);
        fixture.node.tokenRevocations().sweep();
        assertThat(fixture.node.tokenRevocations().isRevoked("gone")).isFalse();
    }
}
