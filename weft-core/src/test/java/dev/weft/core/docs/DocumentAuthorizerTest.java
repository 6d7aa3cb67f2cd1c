package dev.weft.core.docs;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentAuthorizerTest {
    /** Namespace {@code docs}: clients read and write; {@code view}: clients read only; no namespace: nothing. */
    private static final ChannelOptions WRITE = ChannelOptions.builder()
            .allowSubscribeForClient(true).allowPublishForSubscriber(true).build();
    private static final ChannelOptions READ = ChannelOptions.builder().allowSubscribeForClient(true).build();

    private Node node;

    private DocumentAuthorizer authorizer(ClientOptions client, String namespace) {
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT, List.of(
                new Namespace("docs", WRITE), new Namespace("view", READ)));
        node = new Node(NodeConfig.DEFAULT.withClient(client).withChannels(channels), new MemoryBroker(),
                new MemoryPresenceManager());
        return new DocumentAuthorizer(node, namespace);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private static ClientOptions.Builder hmac() {
        return ClientOptions.builder().tokenHmacSecretKey(TestTokens.SECRET);
    }

    private static String token(String user, Map<String, ?> extra) {
        Map<String, Object> claims = new LinkedHashMap<>(extra);
        claims.put("sub", user);
        claims.put("exp", TestTokens.now() + 3600);
        return TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET, TestTokens.claims(claims));
    }

    @Test
    void namespaceDecidesReadWriteOrReadOnly() throws Exception {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        String ann = token("ann", Map.of());
        assertThat(auth.authorize("docs:1", ann).access()).isEqualTo(DocumentAccess.READ_WRITE);
        assertThat(auth.authorize("view:1", ann).access()).isEqualTo(DocumentAccess.READ_ONLY);
        assertThatThrownBy(() -> auth.authorize("plain", ann)).isInstanceOfSatisfying(DocumentAccessDenied.class,
                e -> assertThat(e.error()).isEqualTo(DocumentError.FORBIDDEN));
        assertThatThrownBy(() -> auth.authorize("nope:1", ann)).isInstanceOfSatisfying(DocumentAccessDenied.class,
                e -> assertThat(e.error()).isEqualTo(DocumentError.FORBIDDEN));
    }

    @Test
    void configuredNamespacePrefixesEveryRoom() throws Exception {
        DocumentAuthorizer auth = authorizer(hmac().build(), "view");
        assertThat(auth.channelFor("a/b")).isEqualTo("view:a/b");
        assertThat(auth.authorize("a/b", token("ann", Map.of())).access()).isEqualTo(DocumentAccess.READ_ONLY);
    }

    @Test
    void channelsClaimGrantsReadingWhereTheNamespaceDoesNot() throws Exception {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        assertThat(auth.authorize("plain", token("ann", Map.of("channels", List.of("plain")))).access())
                .isEqualTo(DocumentAccess.READ_ONLY);
    }

    @Test
    void badMissingOrExpiredTokensAreUnauthorized() {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        String forged = TestTokens.hmac(JWSAlgorithm.HS256, "another-secret-that-is-long-enough-for-hs256!!",
                TestTokens.user("ann", TestTokens.now() + 3600));
        String expired = TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET,
                TestTokens.user("ann", TestTokens.now() - 10));
        for (String token : List.of("", "not-a-jwt", forged, expired)) {
            assertThatThrownBy(() -> auth.authorize("docs:1", token))
                    .isInstanceOfSatisfying(DocumentAccessDenied.class,
                            e -> assertThat(e.error()).isEqualTo(DocumentError.UNAUTHORIZED));
        }
    }

    @Test
    void revokedTokenIsUnauthorized() {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        String token = token("ann", Map.of("jti", "t-1"));
        node.tokenRevocations().revokeToken("t-1", 0);
        assertThatThrownBy(() -> auth.authorize("docs:1", token)).isInstanceOf(DocumentAccessDenied.class);
    }

    @Test
    void watchedPeerIsEndedWhenItsTokenIsRevokedOrItsUserInvalidated() throws Exception {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        DocumentGrant ann = auth.authorize("docs:1", token("ann", Map.of("jti", "t-2", "iat", TestTokens.now())));
        DocumentGrant bob = auth.authorize("docs:1", token("bob", Map.of("iat", TestTokens.now())));
        AtomicInteger annEnded = new AtomicInteger();
        AtomicInteger bobEnded = new AtomicInteger();
        auth.watch(ann, annEnded::incrementAndGet);
        Runnable unwatchBob = auth.watch(bob, bobEnded::incrementAndGet);

        node.tokenRevocations().revokeToken("t-2", 0);
        node.tokenRevocations().revokeToken("t-2", 0);
        assertThat(annEnded).hasValue(1);
        assertThat(bobEnded).hasValue(0);

        unwatchBob.run();
        node.tokenRevocations().invalidateUserTokens("bob", TestTokens.now() + 10);
        assertThat(bobEnded).hasValue(0);
        Runnable unused = auth.watch(bob, bobEnded::incrementAndGet);
        node.tokenRevocations().invalidateUserTokens("bob", TestTokens.now() + 10);
        assertThat(bobEnded).hasValue(1);
    }

    @Test
    void watchedPeerIsEndedWhenItsTokenExpires() throws Exception {
        DocumentAuthorizer auth = authorizer(hmac().build(), "");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "ann");
        claims.put("exp", TestTokens.now() + 1);
        DocumentGrant grant = auth.authorize("docs:1",
                TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET, TestTokens.claims(claims)));
        CountDownLatch ended = new CountDownLatch(1);
        auth.watch(grant, ended::countDown);
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anonymousFollowsTheClientOptions() throws Exception {
        assertThatThrownBy(() -> authorizer(hmac().build(), "").authorize("docs:1", ""))
                .isInstanceOf(DocumentAccessDenied.class);
        tearDown();
        DocumentAuthorizer anonymous = authorizer(hmac().allowAnonymousConnectWithoutToken(true).build(), "");
        // docs:* does not let anonymous clients subscribe
        assertThatThrownBy(() -> anonymous.authorize("docs:1", "")).isInstanceOf(DocumentAccessDenied.class);
        tearDown();
        DocumentAuthorizer insecure = authorizer(hmac().insecure(true).build(), "");
        assertThat(insecure.authorize("plain", "").access()).isEqualTo(DocumentAccess.READ_WRITE);
        assertThat(insecure.authorize("plain", "garbage").access()).isEqualTo(DocumentAccess.READ_WRITE);
    }
}
