package dev.weft.core.client;

import dev.weft.core.auth.TestTokens;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.RefreshResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.weft.core.client.AuthFixture.connect;
import static dev.weft.core.client.AuthFixture.connectToken;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection token expiry while connected. Attacks stopped: staying connected on a token that expired (the
 * connection is closed with 3005 once {@code client.expired_close_delay} has passed without a refresh), and
 * refreshing with a token of another user (3500). A refresh with a fresh token keeps every subscription.
 */
class ConnectionExpiryTest {
    private AuthFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static long in(long seconds) {
        return TestTokens.now() + seconds;
    }

    private TestClient connectedUntil(String user, long exp) {
        TestClient c = new TestClient(fixture.node);
        ConnectResult result = (ConnectResult) c.call(connect(connectToken(user, exp, Map.of()))).result();
        assertThat(result.expires()).isTrue();
        return c;
    }

    @Test
    void connectionNotRefreshedInTimeIsClosedWithExpired() {
        fixture = new AuthFixture(AuthFixture.hmac().expiredCloseDelay(Duration.ofMillis(200)).build());
        TestClient alice = connectedUntil("alice", in(2));
        assertThat(alice.awaitDisconnect()).isEqualTo(DisconnectCode.EXPIRED.disconnect());
        assertThat(fixture.node.internalsForTests().hub().userMemberCount("alice")).isZero();
    }

    @Test
    void refreshWithANewTokenKeepsSubscriptionsAndTheConnection() throws Exception {
        fixture = new AuthFixture(AuthFixture.hmac().expiredCloseDelay(Duration.ofMillis(200)).build());
        TestClient alice = connectedUntil("alice", in(2));
        assertThat(alice.call(SubscribeRequest.of("room:1")).error()).isNull();
        Reply reply = alice.call(new RefreshRequest(connectToken("alice", in(3600), Map.of())));
        RefreshResult refreshed = (RefreshResult) reply.result();
        assertThat(refreshed.expires()).isTrue();
        assertThat(refreshed.ttl()).isBetween(3590, 3600);
        assertThat(refreshed.client()).isEqualTo(alice.session().clientId());
        Thread.sleep(2500);
        assertThat(alice.transport().closedWith()).isNull();
        fixture.node.publish("room:1", "1".getBytes(StandardCharsets.UTF_8), "", Map.of());
        assertThat(alice.awaitPublications("room:1", 1)).hasSize(1);
    }

    @Test
    void refreshWithAnotherUsersTokenDisconnects() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        TestClient alice = connectedUntil("alice", in(60));
        alice.send(new RefreshRequest(connectToken("admin", in(3600), Map.of())));
        assertThat(alice.awaitDisconnect().code()).isEqualTo(DisconnectCode.INVALID_TOKEN.code());
    }

    @Test
    void refreshWithAForgedTokenDisconnects() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        TestClient alice = connectedUntil("alice", in(60));
        alice.send(new RefreshRequest(TestTokens.hmac("guess", TestTokens.user("alice", in(3600)))));
        assertThat(alice.awaitDisconnect().code()).isEqualTo(DisconnectCode.INVALID_TOKEN.code());
    }

    @Test
    void refreshWithAnExpiredTokenDisconnectsSoTheSdkReconnectsWithANewOne() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        TestClient alice = connectedUntil("alice", in(60));
        alice.send(new RefreshRequest(connectToken("alice", in(-1), Map.of())));
        assertThat(alice.awaitDisconnect()).isEqualTo(DisconnectCode.EXPIRED.disconnect());
        assertThat(alice.awaitDisconnect().reconnect()).isTrue();
    }

    @Test
    void expiredTokenAtConnectGetsTokenExpiredAndStaysOpen() {
        fixture = new AuthFixture(AuthFixture.hmac().build());
        TestClient c = new TestClient(fixture.node);
        Reply reply = c.call(connect(connectToken("alice", in(-10), Map.of())));
        assertThat(reply.error().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
        assertThat(c.transport().closedWith()).isNull();
    }
}
