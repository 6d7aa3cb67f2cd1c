package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.weft.core.broker.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.weft.core.auth.TestTokens.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JWKS endpoint that sends its headers and then drips its body (it once held every RSA/EC login for minutes
 * under the key-source lock). Against a real socket server: callers needing the set get the temporary error
 * within the documented bound, callers whose key is already known (even past the cache TTL) are served at
 * once while the refresh runs, HMAC tokens never wait, and when the endpoint recovers new keys work.
 */
class JwksStallTest {
    /** 3 attempts of 300 ms, 50 ms + 100 ms between them: a fetch gives up after 1.05 s. */
    private static final JwksKeySource.Settings SETTINGS = new JwksKeySource.Settings(Duration.ofMinutes(10),
            Duration.ofSeconds(5), 3, Duration.ofMillis(50), Duration.ofMillis(300));
    /** The documented bound plus slack for a loaded machine; the fault it catches held callers for minutes. */
    private static final long ANSWER_WITHIN_MS = SETTINGS.fetchBound().toMillis() + 4_000;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final JWTClaimsSet alice = TestTokens.claims(Map.of("sub", "alice",
            "exp", clock.instant().getEpochSecond() + 86_400));
    private StallingJwksServer server;
    private JwtVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        server = new StallingJwksServer();
        verifier = new JwtVerifier(TokenOptions.builder().jwksPublicEndpoint(server.url())
                .hmacSecretKey(TestTokens.SECRET).build(), clock, SETTINGS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }


    @Test
    void fetchBoundIsAttemptsTimesTimeoutPlusBackoffs() {
        assertThat(JwksKeySource.Settings.DEFAULT.fetchBound()).isEqualTo(Duration.ofMillis(3_300));
        assertThat(SETTINGS.fetchBound()).isEqualTo(Duration.ofMillis(1_050));
    }

    @Test
    void stalledEndpointGivesTemporaryErrorInTimeWhileKnownKeysAndHmacKeepWorking() throws Exception {
        RSAKey known = TestTokens.rsaKey("known");
        RSAKey rotated = TestTokens.rsaKey("rotated");
        server.serve(known);
        String knownToken = TestTokens.rsa(JWSAlgorithm.RS256, known, alice);
        String rotatedToken = TestTokens.rsa(JWSAlgorithm.RS256, rotated, alice);
        assertThat(verifier.verifyConnectToken(knownToken).user()).isEqualTo("alice");

        // The cached set is now stale and the endpoint stalls: the next checks start a refresh that never ends.
        server.stall(true);
        clock.advance(Duration.ofMinutes(11));
        List<CompletableFuture<InvalidTokenException.Kind>> waiting = new ArrayList<>();
        long started = System.nanoTime();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < 8; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> refusal(verifier, rotatedToken), callers));
        }
        server.awaitStalledRequest();

        // While the refresh hangs on the body: the last good set still serves its key, and HMAC never waits.
        assertThat(CompletableFuture.supplyAsync(() -> user(knownToken)).get(2, TimeUnit.SECONDS))
                .as("known key served from the stale set during the refresh").isEqualTo("alice");
        String hmac = TestTokens.hmac(TestTokens.SECRET, alice);
        assertThat(CompletableFuture.supplyAsync(() -> user(hmac)).get(2, TimeUnit.SECONDS)).isEqualTo("alice");

        for (CompletableFuture<InvalidTokenException.Kind> w : waiting) {
            assertThat(w.get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS))
                    .isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("8 RS256 checks against a dripping JWKS answered UNAVAILABLE after " + tookMs
                + " ms (bound " + SETTINGS.fetchBound().toMillis() + " ms); JWKS requests: " + server.requests());
        assertThat(server.requests()).as("one refresh of 3 attempts for 8 waiting callers").isEqualTo(1 + 3);
        callers.close();

        // The endpoint recovers and publishes the rotated key: after the refetch interval it is picked up.
        server.stall(false);
        server.serve(known, rotated);
        clock.advance(Duration.ofSeconds(6));
        assertThat(verifier.verifyConnectToken(rotatedToken).user()).isEqualTo("alice");
        assertThat(verifier.verifyConnectToken(knownToken).user()).isEqualTo("alice");
    }

    @Test
    void firstFetchStallingIsTemporaryAndLaterFetchSucceeds() throws Exception {
        RSAKey key = TestTokens.rsaKey("k1");
        String token = TestTokens.rsa(JWSAlgorithm.RS256, key, alice);
        server.stall(true);
        assertThat(CompletableFuture.supplyAsync(() -> refusal(verifier, token))
                .get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS)).isEqualTo(InvalidTokenException.Kind.UNAVAILABLE);
        server.stall(false);
        server.serve(key);
        clock.advance(Duration.ofSeconds(6));
        assertThat(verifier.verifyConnectToken(token).user()).isEqualTo("alice");
    }

    private String user(String token) {
        try {
            return verifier.verifyConnectToken(token).user();
        } catch (InvalidTokenException e) {
            return "refused: " + e.kind() + " " + e.getMessage();
        }
    }
}
