package dev.weft.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.auth.TokenOptions;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubRefreshResult;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.weft.core.client.AuthFixture.subscribe;
import static dev.weft.core.client.AuthFixture.subscriptionToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Private ({@code $}) channels and subscription tokens. Attacks stopped: subscribing to a private channel
 * without a token, with a token minted for another channel, another user or another connection, with an
 * expired token, or with one signed by the connection key when subscription tokens have their own; keeping a
 * subscription after its token expired without refreshing it. A refused client learns nothing about the
 * channel: no presence, no history, no publications.
 */
class SubscriptionTokenTest {
    private AuthFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private AuthFixture start(dev.weft.core.ClientOptions.Builder options) {
        fixture = new AuthFixture(options.build());
        return fixture;
    }

    private static long in(long seconds) {
        return TestTokens.now() + seconds;
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code outsider} is refused subscribe, presence and history of {@code channel} with 103 and receives
     * nothing of a publication that {@code member} (subscribed) does receive.
     */
    private void assertLearnsNothing(TestClient outsider, TestClient member, String channel) {
        assertThat(outsider.call(SubscribeRequest.of(channel)).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(outsider.call(new PresenceRequest(channel)).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(outsider.call(new HistoryRequest(channel, 10, null, false)).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        int before = member.pushes(channel, dev.weft.protocol.model.Publication.class).size();
        fixture.node.publish(channel, json("{\"secret\":true}"), "", Map.of());
        member.awaitPublications(channel, before + 1);
        assertThat(outsider.pushes()).isEmpty();
    }

    @Test
    void privateChannelWithoutTokenIsRefusedAndLeaksNothing() {
        start(AuthFixture.hmac());
        TestClient alice = fixture.connected("alice");
        TestClient mallory = fixture.connected("mallory");
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(60), Map.of()))).error())
                .isNull();
        fixture.node.publish("$board", json("{\"secret\":1}"), "", Map.of());
        alice.awaitPublications("$board", 1);

        assertLearnsNothing(mallory, alice, "$board");
    }

    @Test
    void tokenForAnotherChannelUserOrConnectionIsRefused() {
        start(AuthFixture.hmac());
        TestClient mallory = fixture.connected("mallory");
        String forOtherChannel = subscriptionToken("mallory", "$public-ish", in(60), Map.of());
        String forOtherUser = subscriptionToken("alice", "$board", in(60), Map.of());
        String forOtherClient = subscriptionToken("mallory", "$board", in(60), Map.of("client", "someone-else"));
        for (String token : new String[] {forOtherChannel, forOtherUser, forOtherClient}) {
            assertThat(mallory.call(subscribe("$board", token)).error().code())
                    .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        }
        String forThisClient = subscriptionToken("mallory", "$board", in(60),
                Map.of("client", mallory.session().clientId()));
        assertThat(mallory.call(subscribe("$board", forThisClient)).error()).isNull();
        assertThat(fixture.node.internalsForTests().hub().subscriberCount("$board")).isEqualTo(1);
    }

    @Test
    void tokenSignedWithAnotherKeyIsPermissionDenied() {
        start(AuthFixture.hmac());
        TestClient mallory = fixture.connected("mallory");
        String forged = TestTokens.hmac(JWSAlgorithm.HS256, "guessed-secret",
                TestTokens.claims(Map.of("sub", "mallory", "channel", "$board")));
        assertThat(mallory.call(subscribe("$board", forged)).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(mallory.transport().closedWith()).isNull();
    }

    @Test
    void expiredTokenGetsTokenExpiredSoTheSdkFetchesANewOne() {
        start(AuthFixture.hmac());
        TestClient alice = fixture.connected("alice");
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(-5), Map.of())))
                .error().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED.code());
    }

    @Test
    void separateSubscriptionKeyRefusesTokensSignedWithTheConnectionKey() {
        start(AuthFixture.hmac().subscriptionTokenEnabled(true)
                .subscriptionToken(TokenOptions.builder().hmacSecretKey("subscription-secret").build()));
        TestClient alice = fixture.connected("alice");
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(60), Map.of())))
                .error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        String good = TestTokens.hmac(JWSAlgorithm.HS256, "subscription-secret",
                TestTokens.claims(Map.of("sub", "alice", "channel", "$board")));
        assertThat(alice.call(subscribe("$board", good)).error()).isNull();
    }

    @Test
    void resultCarriesExpiryDataAndTheTokenOverridesPresence() {
        start(AuthFixture.hmac());
        TestClient alice = fixture.connected("alice");
        String token = subscriptionToken("alice", "$board", in(120), Map.of("data", Map.of("hello", "alice"),
                "info", Map.of("seat", 1), "override", Map.of("presence", Map.of())));
        SubscribeResult result = (SubscribeResult) alice.call(subscribe("$board", token)).result();
        assertThat(result.expires()).isTrue();
        assertThat(result.ttl()).isBetween(110, 120);
        assertThat(new String(result.data(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\":\"alice\"}");
        // presence overridden to off for this subscriber: the channel keeps presence, alice is not in it.
        PresenceResult presence = (PresenceResult) alice.call(new PresenceRequest("$board")).result();
        assertThat(presence.presence()).isEmpty();
    }

    @Test
    void subscriptionWhoseTokenExpiresWithoutRefreshIsEnded() {
        start(AuthFixture.hmac().expiredSubCloseDelay(Duration.ofMillis(200)));
        TestClient alice = fixture.connected("alice");
        assertThat(alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(2), Map.of())))
                .error()).isNull();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !alice.pushes("$board", UnsubscribePush.class).isEmpty());
        UnsubscribePush push = alice.pushes("$board", UnsubscribePush.class).get(0);
        assertThat(push.code()).as("2501: SDK resubscribes with a new token").isEqualTo(2501);
        await().until(() -> fixture.node.internalsForTests().hub().subscriberCount("$board") == 0);
        fixture.node.publish("$board", json("1"), "", Map.of());
        assertThat(alice.transport().closedWith()).as("only the subscription ends").isNull();
        assertThat(alice.call(new HistoryRequest("$board", 10, null, false)).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    }

    @Test
    void refreshedSubscriptionStays() throws Exception {
        start(AuthFixture.hmac().expiredSubCloseDelay(Duration.ofMillis(200)));
        TestClient alice = fixture.connected("alice");
        alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(2), Map.of())));
        Reply refreshed = alice.call(new SubRefreshRequest("$board",
                subscriptionToken("alice", "$board", in(3600), Map.of())));
        assertThat(((SubRefreshResult) refreshed.result()).ttl()).isBetween(3590, 3600);
        Thread.sleep(2600);
        fixture.node.publish("$board", json("1"), "", Map.of());
        alice.awaitPublications("$board", 1);
        assertThat(alice.pushes("$board", UnsubscribePush.class)).isEmpty();
    }

    @Test
    void subRefreshWithABadTokenIsRefusedAndTheSubscriptionStillEnds() {
        start(AuthFixture.hmac().expiredSubCloseDelay(Duration.ofMillis(100)));
        TestClient alice = fixture.connected("alice");
        alice.call(subscribe("$board", subscriptionToken("alice", "$board", in(2), Map.of())));
        assertThat(alice.call(new SubRefreshRequest("$board", subscriptionToken("alice", "$other", in(3600),
                Map.of()))).error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(alice.call(new SubRefreshRequest("$board", subscriptionToken("bob", "$board", in(3600),
                Map.of()))).error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(alice.call(new SubRefreshRequest("$board", "")).error().code())
                .isEqualTo(ErrorCode.BAD_REQUEST.code());
        assertThat(alice.call(new SubRefreshRequest("$nope", subscriptionToken("alice", "$nope", in(3600),
                Map.of()))).error().code()).as("not subscribed").isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !alice.pushes("$board", UnsubscribePush.class).isEmpty());
    }

    @Test
    void anotherUsersUserLimitedChannelIsRefusedAndLeaksNothing() {
        start(AuthFixture.hmac());
        TestClient alice = fixture.connected("alice");
        TestClient mallory = fixture.connected("mallory");
        assertThat(alice.call(SubscribeRequest.of("users:dm#alice,bob")).error()).isNull();
        assertLearnsNothing(mallory, alice, "users:dm#alice,bob");
    }

    @Test
    void anonymousClientNeverMatchesAUserLimitedChannel() {
        start(AuthFixture.hmac().allowAnonymousConnectWithoutToken(true));
        TestClient anonymous = new TestClient(fixture.node);
        anonymous.call(AuthFixture.connect(""));
        assertThat(anonymous.call(SubscribeRequest.of("users:dm#,alice")).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    }
}
