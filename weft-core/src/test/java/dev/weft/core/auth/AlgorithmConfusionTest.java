package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static dev.weft.core.auth.TestTokens.claims;
import static dev.weft.core.auth.TestTokens.now;
import static dev.weft.core.auth.TestTokens.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attacks stopped: forging a token by choosing its algorithm — {@code alg: none}; an HS256 token "signed"
 * with the server's RSA public key as HMAC secret (classic RS/HS key confusion); an RS token against a server
 * that only has an HMAC secret; ES tokens on the wrong curve; algorithms nobody configured; required header
 * extensions we do not understand.
 */
class AlgorithmConfusionTest {
    private static final JWTClaimsSet ADMIN = TestTokens.user("admin", now() + 600);

    private static JwtVerifier verifier(TokenOptions options) {
        return new JwtVerifier(options, Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void unsignedTokensAreRefusedWhateverTheSpelling(String alg) {
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        String payload = "{\"sub\":\"admin\",\"exp\":" + (now() + 600) + "}";
        assertThat(refusal(v, TestTokens.raw("{\"alg\":\"" + alg + "\"}", payload, "")))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        // Even carrying a signature that would be the HMAC of the content.
        String withSig = TestTokens.hmacRaw(com.nimbusds.jose.util.Base64URL.encode(
                ("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)).toString(), payload,
                JWSAlgorithm.HS256, TestTokens.SECRET);
        assertThat(refusal(v, withSig)).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void hmacTokenSignedWithTheRsaPublicKeyIsRefused() throws Exception {
        RSAKey rsa = TestTokens.rsaKey("k1");
        String pem = TestTokens.pem(rsa);
        var rsaOnly = verifier(TokenOptions.builder().rsaPublicKey(pem).build());
        // The attacker knows the public key and "signs" with it as an HMAC secret, in every form it is published.
        for (byte[] secret : new byte[][] {pem.getBytes(StandardCharsets.UTF_8), rsa.toPublicKey().getEncoded()}) {
            for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512}) {
                assertThat(refusal(rsaOnly, TestTokens.hmacWithKeyBytes(secret, alg, ADMIN)))
                        .isEqualTo(InvalidTokenException.Kind.INVALID);
            }
        }
        // The same server accepts properly signed RS tokens.
        assertThat(rsaOnly.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, rsa, ADMIN)).user()).isEqualTo("admin");
    }

    @Test
    void hmacTokenSignedWithTheRsaPemIsRefusedEvenWhenAnHmacSecretIsAlsoConfigured() {
        RSAKey rsa = TestTokens.rsaKey("k1");
        String pem = TestTokens.pem(rsa);
        var both = verifier(TokenOptions.builder().rsaPublicKey(pem).hmacSecretKey(TestTokens.SECRET).build());
        assertThat(refusal(both, TestTokens.hmacWithKeyBytes(pem.getBytes(StandardCharsets.UTF_8),
                JWSAlgorithm.HS256, ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(both, TestTokens.hmac("guessed-secret", ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void asymmetricTokensAreRefusedWhenOnlyAnHmacSecretIsConfigured() {
        var hmacOnly = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        assertThat(refusal(hmacOnly, TestTokens.rsa(JWSAlgorithm.RS256, TestTokens.rsaKey("a"), ADMIN)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(hmacOnly, TestTokens.ec(JWSAlgorithm.ES256, TestTokens.ecKey(Curve.P_256, "b"), ADMIN)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(hmacOnly, TestTokens.ed25519(JWSAlgorithm.EdDSA, TestTokens.ed25519Key("c"), ADMIN)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void rsaTokenIsNotCheckedWithTheEcKeyNorTheOtherWayRound() {
        RSAKey rsa = TestTokens.rsaKey("r");
        ECKey ec = TestTokens.ecKey(Curve.P_256, "e");
        var rsaOnly = verifier(TokenOptions.builder().rsaPublicKey(TestTokens.pem(rsa)).build());
        var ecOnly = verifier(TokenOptions.builder().ecdsaPublicKey(TestTokens.pem(ec)).build());
        assertThat(refusal(rsaOnly, TestTokens.ec(JWSAlgorithm.ES256, ec, ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
        assertThat(refusal(ecOnly, TestTokens.rsa(JWSAlgorithm.RS256, rsa, ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void ecTokenWhoseAlgorithmDoesNotFitTheCurveIsRefused() {
        ECKey p256 = TestTokens.ecKey(Curve.P_256, "p256");
        ECKey p384 = TestTokens.ecKey(Curve.P_384, "p384");
        var v = verifier(TokenOptions.builder().ecdsaPublicKey(TestTokens.pem(p256)).build());
        assertThat(v.configured()).isTrue();
        // Signed with another key of another curve: claims ES384, server key is P-256.
        assertThat(refusal(v, TestTokens.ec(JWSAlgorithm.ES384, p384, ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void rsaPssAndOtherUnconfiguredAlgorithmsAreRefused() {
        RSAKey rsa = TestTokens.rsaKey("r");
        var v = verifier(TokenOptions.builder().rsaPublicKey(TestTokens.pem(rsa)).build());
        assertThat(refusal(v, TestTokens.rsa(JWSAlgorithm.PS256, rsa, ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
        String payload = claims(java.util.Map.of("sub", "admin")).toString();
        assertThat(refusal(v, TestTokens.raw("{\"alg\":\"ES256K\"}", payload, "AAAA")))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void tokenRequiringAnUnknownHeaderExtensionIsRefused() {
        String header = com.nimbusds.jose.util.Base64URL.encode(
                "{\"alg\":\"HS256\",\"crit\":[\"exp-policy\"],\"exp-policy\":\"ignore\"}"
                        .getBytes(StandardCharsets.UTF_8)).toString();
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        assertThat(refusal(v, TestTokens.hmacRaw(header, ADMIN.toString(), JWSAlgorithm.HS256, TestTokens.SECRET)))
                .isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void withNoKeyConfiguredEveryTokenIsRefused() {
        var none = verifier(TokenOptions.NONE);
        assertThat(none.configured()).isFalse();
        assertThat(refusal(none, TestTokens.hmac("any-secret", ADMIN))).isEqualTo(InvalidTokenException.Kind.INVALID);
    }

    @Test
    void malformedTokensAreInvalidNotErrors() {
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        for (String junk : new String[] {"", "a", "a.b", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9..", "{}.{}.{}",
                TestTokens.raw("[]", "{}", "x"), TestTokens.raw("{\"alg\":\"HS256\"}", "[1,2]", "x")}) {
            assertThat(refusal(v, junk)).as(junk).isEqualTo(InvalidTokenException.Kind.INVALID);
        }
    }

    @Test
    void refusedTokensDoNotLeakTheSecretInTheReason() {
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        assertThatThrownBy(() -> v.verifyConnectToken(TestTokens.hmac("other-secret", ADMIN)))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageNotContaining(TestTokens.SECRET);
    }
}
