package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.weft.core.broker.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.weft.core.auth.TestTokens.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JWKS: keys from a local HTTP endpoint that rotates them. Attacks and failures covered: a flood of tokens with
 * made-up {@code kid}s (at most one fetch per refetch interval), a JWKS endpoint that is down (temporary error,
 * never "invalid token" and never a crash; recovery when it returns), an attacker-chosen symmetric key
 * published in the set (ignored), and a key meant for encryption (ignored).
 */
class JwksKeySourceTest {
    private final MutableClock clock = new MutableClock(Instant.now());
    private final JWTClaimsSet alice = TestTokens.claims(Map.of("sub", "alice",
            "exp", clock.instant().getEpochSecond() + 86_400));
    private JwksServer server;

    /** Short timings: 10 ms between retry attempts; refetch interval and cache TTL judged on the mutable clock. */
    private static final JwksKeySource.Settings FAST = new JwksKeySource.Settings(Duration.ofHours(1),
            Duration.ofSeconds(5), 3, Duration.ofMillis(10), Duration.ofSeconds(2));

    @BeforeEach
    void startServer() throws Exception {
        server = new JwksServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private JwtVerifier verifier() {
        return new JwtVerifier(TokenOptions.builder().jwksPublicEndpoint(server.url()).build(), clock, FAST);
    }

    @Test
    void tokenSignedWithANewKidIsAcceptedAfterRotation() throws Exception {
        RSAKey first = TestTokens.rsaKey("2030-01");
        RSAKey second = TestTokens.rsaKey("2030-02");
        server.serve(first);
        JwtVerifier v = verifier();
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, first, alice)).user()).isEqualTo("alice");
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, first, alice)).user()).isEqualTo("alice");
        assertThat(server.requests()).as("second token served from cache").isEqualTo(1);

        server.serve(first, second);
        clock.advance(Duration.ofSeconds(6));
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, second, alice)).user()).isEqualTo("alice");
        assertThat(server.requests()).isEqualTo(2);

        // The old key is retired: past the cache TTL the last good set keeps answering while it is fetched
        // again in the background; once that refresh is in, tokens with the old key stop working: at once as a
        // temporary refusal (too soon to fetch again), as invalid once a fetch made for them confirms it.
        server.serve(second);
        clock.advance(Duration.ofHours(2));
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, second, alice)).user()).isEqualTo("alice");
        String retired = TestTokens.rsa(JWSAlgorithm.RS256, first, alice);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(v, retired)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE));
        clock.advance(Duration.ofSeconds(6));
        assertThat(refusal(v, retired)).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void unknownKidsRefetchAtMostOncePerInterval() {
        RSAKey known = TestTokens.rsaKey("known");
        server.serve(known);
        JwtVerifier v = verifier();
        RSAKey attackerKey = TestTokens.rsaKey("a");
        for (int i = 0; i < 200; i++) {
            RSAKey madeUp = new RSAKey.Builder(attackerKey).keyID("made-up-" + i).build();
            // The first is checked against a set fetched for it: invalid. The rest come too soon to fetch
            // again, so they are refused as temporary, without a request.
            assertThat(refusal(v, TestTokens.rsa(JWSAlgorithm.RS256, madeUp, alice)))
                    .isEqualTo(i == 0 ? InvalidTokenException.Kind.INVALID : InvalidTokenException.Kind.UNAVAILABLE);
            if (i % 20 == 0) {
                clock.advance(Duration.ofMillis(100));
            }
        }
        assertThat(server.requests()).as("1 fetch for 200 unknown kids within 5 s").isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        refusal(v, TestTokens.rsa(JWSAlgorithm.RS256, TestTokens.rsaKey("later"), alice));
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void keyPublishedJustAfterAFetchIsATemporaryRefusalUntilTheNextFetch() throws Exception {
        RSAKey first = TestTokens.rsaKey("2030-01");
        RSAKey rotated = TestTokens.rsaKey("2030-02");
        server.serve(first);
        JwtVerifier v = verifier();
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, first, alice)).user()).isEqualTo("alice");

        server.serve(first, rotated);
        clock.advance(Duration.ofSeconds(1));
        String withRotatedKey = TestTokens.rsa(JWSAlgorithm.RS256, rotated, alice);
        assertThat(refusal(v, withRotatedKey)).as("a retry may succeed").isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        assertThat(server.requests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        assertThat(v.verifyConnectToken(withRotatedKey).user()).isEqualTo("alice");
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void failedAttemptsAreRetriedWithinOneCheck() throws Exception {
        RSAKey key = TestTokens.rsaKey("k");
        server.serve(key);
        server.failNext(2);
        assertThat(verifier().verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, key, alice)).user())
                .isEqualTo("alice");
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void unreachableEndpointIsTemporaryAndRecovers() throws Exception {
        RSAKey key = TestTokens.rsaKey("k");
        server.serve(key);
        server.stop();
        JwtVerifier v = verifier();
        String token = TestTokens.rsa(JWSAlgorithm.RS256, key, alice);
        assertThat(refusal(v, token)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        // Within the refetch interval the answer comes at once, without hammering the endpoint.
        assertThat(refusal(v, token)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);

        server.restart();
        assertThat(refusal(v, token)).as("still within the interval").isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        clock.advance(Duration.ofSeconds(5));
        assertThat(v.verifyConnectToken(token).user()).isEqualTo("alice");
    }

    @Test
    void endpointAnsweringErrorsOrGarbageIsTemporaryToo() {
        RSAKey key = TestTokens.rsaKey("k");
        String token = TestTokens.rsa(JWSAlgorithm.RS256, key, alice);
        server.failNext(100);
        JwtVerifier v = verifier();
        assertThat(refusal(v, token)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        assertThat(server.requests()).as("bounded: 3 attempts").isEqualTo(3);
        server.failNext(0);
        server.serveRaw("<html>not json</html>");
        clock.advance(Duration.ofSeconds(5));
        assertThat(refusal(v, token)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
    }

    @Test
    void knownKeysKeepWorkingWhileTheEndpointIsDown() throws Exception {
        RSAKey key = TestTokens.rsaKey("k");
        server.serve(key);
        JwtVerifier v = verifier();
        String token = TestTokens.rsa(JWSAlgorithm.RS256, key, alice);
        v.verifyConnectToken(token);
        server.stop();
        clock.advance(Duration.ofHours(2));
        assertThat(v.verifyConnectToken(token).user()).as("stale key still used").isEqualTo("alice");
    }

    @Test
    void ecAndEd25519KeysFromTheSetVerify() throws Exception {
        ECKey ec = TestTokens.ecKey(Curve.P_384, "ec");
        TestTokens.Ed25519 ed = TestTokens.ed25519Key("ed");
        server.serve(ec, ed.jwk());
        JwtVerifier v = verifier();
        assertThat(v.verifyConnectToken(TestTokens.ec(JWSAlgorithm.ES384, ec, alice)).user()).isEqualTo("alice");
        assertThat(v.verifyConnectToken(TestTokens.ed25519(JWSAlgorithm.EdDSA, ed, alice)).user()).isEqualTo("alice");
        assertThat(v.verifyConnectToken(TestTokens.ed25519(JWSAlgorithm.Ed25519, ed, alice)).user()).isEqualTo("alice");
        // An Ed25519 signature by another key under the same kid is refused.
        TestTokens.Ed25519 impostor = new TestTokens.Ed25519(TestTokens.ed25519Key("x").pair(), ed.jwk());
        assertThat(refusal(v, TestTokens.ed25519(JWSAlgorithm.EdDSA, impostor, alice)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void symmetricAndEncryptionKeysInTheSetAreNeverUsed() {
        server.serveRaw("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"sym\",\"k\":\""
                + com.nimbusds.jose.util.Base64URL.encode("attacker-secret") + "\"}]}");
        JwtVerifier v = verifier();
        String hs = TestTokens.hmacRaw(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256).keyID("sym")
                .build().toBase64URL().toString(), alice.toString(), JWSAlgorithm.HS256, "attacker-secret");
        assertThat(refusal(v, hs)).isEqualTo(InvalidTokenException.Kind.INVALID);

        RSAKey enc = new RSAKey.Builder(TestTokens.rsaKey("enc")).keyUse(KeyUse.ENCRYPTION).build();
        server.serve(enc);
        clock.advance(Duration.ofSeconds(5));
        assertThat(refusal(v, TestTokens.rsa(JWSAlgorithm.RS256, enc, alice)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void tokenWithoutKidIsCheckedAgainstTheKeysOfItsType() throws Exception {
        RSAKey key = TestTokens.rsaKey(null);
        server.serve(key);
        assertThat(verifier().verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, key, alice)).user())
                .isEqualTo("alice");
    }

    @Test
    void jwksUrlMustBeHttp() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JwtVerifier(
                        TokenOptions.builder().jwksPublicEndpoint("file:///etc/passwd").build(), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
