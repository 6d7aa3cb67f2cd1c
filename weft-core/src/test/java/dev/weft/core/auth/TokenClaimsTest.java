package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.broker.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.weft.core.auth.TestTokens.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Claims as Centrifugo v6 reads them, and attacks stopped: replaying an expired token, using a token before
 * its {@code nbf}, presenting a token minted for another service ({@code aud}) or by another issuer
 * ({@code iss}), smuggling an {@code exp} as a string so it reads as "no expiry", and passing a subscription
 * token off as a connection token.
 */
class TokenClaimsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final long now = clock.instant().getEpochSecond();

    private JwtVerifier verifier(TokenOptions.Builder options) {
        return new JwtVerifier(options.hmacSecretKey(TestTokens.SECRET).build(), clock);
    }

    private JwtVerifier verifier() {
        return verifier(TokenOptions.builder());
    }

    private static String token(Map<String, ?> claims) {
        return TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET, TestTokens.claims(claims));
    }

    private static String rawToken(String payloadJson) {
        return TestTokens.hmacRaw(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256).toBase64URL().toString(),
                payloadJson, JWSAlgorithm.HS256, TestTokens.SECRET);
    }

    @Test
    void expiredTokenIsExpiredAndStillValidOneIsNot() throws Exception {
        var v = verifier();
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "exp", now)))))
                .isEqualTo(InvalidTokenException.Kind.EXPIRED);
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "exp", now + 1))).expireAt()).isEqualTo(now + 1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "exp", now + 1)))))
                .isEqualTo(InvalidTokenException.Kind.EXPIRED);
    }

    @Test
    void notYetValidTokenIsTreatedAsExpiredAsInCentrifugo() throws Exception {
        var v = verifier();
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "nbf", now + 60)))))
                .isEqualTo(InvalidTokenException.Kind.EXPIRED);
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "nbf", now))).user()).isEqualTo("a");
        assertThat(refusal(() -> v.verifySubscriptionToken(token(Map.of("sub", "a", "channel", "$c", "nbf", now + 60)))))
                .isEqualTo(InvalidTokenException.Kind.EXPIRED);
    }

    @Test
    void timeClaimsOfTheWrongTypeAreInvalidNotIgnored() {
        var v = verifier();
        for (String payload : List.of("{\"sub\":\"a\",\"exp\":\"" + (now - 10) + "\"}",
                "{\"sub\":\"a\",\"exp\":true}", "{\"sub\":\"a\",\"nbf\":\"tomorrow\"}",
                "{\"sub\":\"a\",\"expire_at\":[1]}", "{\"sub\":42}", "{\"sub\":\"a\",\"jti\":{}}")) {
            assertThat(refusal(() -> v.verifyConnectToken(rawToken(payload)))).as(payload)
                    .isEqualTo(InvalidTokenException.Kind.INVALID);
        }
    }

    @Test
    void expireAtSetsTheConnectionLifetimeButExpStillGuardsTheToken() throws Exception {
        var v = verifier();
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "exp", now + 60, "expire_at", now + 3600)))
                .expireAt()).isEqualTo(now + 3600);
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "exp", now + 60, "expire_at", 0))).expireAt())
                .isZero();
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "exp", now - 1, "expire_at", now + 3600)))))
                .isEqualTo(InvalidTokenException.Kind.EXPIRED);
    }

    @Test
    void audienceMustMatchWhenConfigured() throws Exception {
        var v = verifier(TokenOptions.builder().audience("weft"));
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "aud", "weft"))).user()).isEqualTo("a");
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "aud", List.of("api", "weft")))).user()).isEqualTo("a");
        for (Map<String, ?> claims : List.of(Map.of("sub", "a", "aud", "api"), Map.of("sub", "a"),
                Map.of("sub", "a", "aud", List.of("weft-admin")), Map.of("sub", "a", "aud", "WEFT"))) {
            assertThat(refusal(() -> v.verifyConnectToken(token(claims)))).as(claims.toString())
                    .isEqualTo(InvalidTokenException.Kind.INVALID);
        }
        assertThat(refusal(() -> v.verifySubscriptionToken(token(Map.of("sub", "a", "channel", "$c", "aud", "api")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void audienceRegexMatchesAnEntryUnanchoredAsCentrifugoDoes() throws Exception {
        var v = verifier(TokenOptions.builder().audienceRegex(Pattern.compile("^tenant-[0-9]+$")));
        assertThat(v.verifyConnectToken(token(Map.of("sub", "a", "aud", List.of("x", "tenant-42")))).user())
                .isEqualTo("a");
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "aud", "tenant-42-evil")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void issuerMustMatchWhenConfigured() throws Exception {
        var exact = verifier(TokenOptions.builder().issuer("https://auth.example"));
        assertThat(exact.verifyConnectToken(token(Map.of("sub", "a", "iss", "https://auth.example"))).user())
                .isEqualTo("a");
        assertThat(refusal(() -> exact.verifyConnectToken(token(Map.of("sub", "a", "iss", "https://evil.example")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(() -> exact.verifyConnectToken(token(Map.of("sub", "a")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        var regex = verifier(TokenOptions.builder().issuerRegex(Pattern.compile("^https://[a-z]+\\.example$")));
        assertThat(regex.verifyConnectToken(token(Map.of("sub", "a", "iss", "https://eu.example"))).user())
                .isEqualTo("a");
        assertThat(refusal(() -> regex.verifyConnectToken(token(Map.of("sub", "a", "iss", "https://eu.example.evil")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void audienceAndAudienceRegexTogetherIsAConfigurationError() {
        assertThatThrownBy(() -> TokenOptions.builder().audience("a").audienceRegex(Pattern.compile("a")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenOptions.builder().issuer("a").issuerRegex(Pattern.compile("a")).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscriptionTokenIsNotAcceptedAsConnectionToken() {
        var v = verifier();
        assertThat(refusal(() -> v.verifyConnectToken(token(Map.of("sub", "a", "channel", "$private")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(() -> v.verifySubscriptionToken(token(Map.of("sub", "a")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void connectionClaimsAreReadAsCentrifugoWritesThem() throws Exception {
        Map<String, Object> subs = new LinkedHashMap<>();
        subs.put("chat:a", Map.of("info", Map.of("role", "mod"), "data", Map.of("welcome", true),
                "override", Map.of("presence", Map.of("value", true), "join_leave", Map.of())));
        subs.put("chat:b", Map.of("b64info", "AAE=", "b64data", "Ag=="));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("jti", "t-1");
        claims.put("iat", now - 5);
        claims.put("info", Map.of("name", "Alice"));
        claims.put("meta", Map.of("plan", "pro"));
        claims.put("channels", List.of("news", "chat:a"));
        claims.put("subs", subs);
        ConnectToken t = verifier().verifyConnectToken(token(claims));
        assertThat(t.user()).isEqualTo("alice");
        assertThat(t.jti()).isEqualTo("t-1");
        assertThat(t.issuedAt()).isEqualTo(now - 5);
        assertThat(new String(t.info(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Alice\"}");
        assertThat(new String(t.meta(), StandardCharsets.UTF_8)).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(t.subs()).containsOnlyKeys("chat:a", "chat:b", "news");
        TokenSubscription a = t.subs().get("chat:a");
        assertThat(new String(a.info(), StandardCharsets.UTF_8)).isEqualTo("{\"role\":\"mod\"}");
        assertThat(new String(a.data(), StandardCharsets.UTF_8)).isEqualTo("{\"welcome\":true}");
        assertThat(a.override()).isEqualTo(new SubscriptionOverride(true, false, null, null, null));
        assertThat(t.subs().get("chat:b").info()).containsExactly(0, 1);
        assertThat(t.subs().get("chat:b").data()).containsExactly(2);
        assertThat(t.subs().get("news")).isEqualTo(TokenSubscription.NONE);
    }

    @Test
    void b64infoMustBeBase64() {
        assertThat(refusal(() -> verifier().verifyConnectToken(token(Map.of("sub", "a", "b64info", "%%%")))))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void userIdClaimReadsAnotherOrNestedClaim() throws Exception {
        var v = verifier(TokenOptions.builder().userIdClaim("user.id"));
        assertThat(v.verifyConnectToken(token(Map.of("sub", "ignored", "user", Map.of("id", "u-7")))).user())
                .isEqualTo("u-7");
        assertThat(verifier(TokenOptions.builder().userIdClaim("uid"))
                .verifyConnectToken(token(Map.of("uid", "u-8"))).user()).isEqualTo("u-8");
    }

    @Test
    void subscriptionClaimsAreRead() throws Exception {
        SubscriptionToken t = verifier().verifySubscriptionToken(token(Map.of("sub", "alice", "channel", "$room",
                "client", "c-1", "exp", now + 60, "jti", "s-1", "info", Map.of("seat", 3),
                "override", Map.of("force_recovery", Map.of("value", true)))));
        assertThat(t.user()).isEqualTo("alice");
        assertThat(t.channel()).isEqualTo("$room");
        assertThat(t.client()).isEqualTo("c-1");
        assertThat(t.expireAt()).isEqualTo(now + 60);
        assertThat(t.jti()).isEqualTo("s-1");
        assertThat(new String(t.info(), StandardCharsets.UTF_8)).isEqualTo("{\"seat\":3}");
        assertThat(t.subscription().override().forceRecovery()).isTrue();
    }
}
