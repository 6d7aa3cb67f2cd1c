package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

import static dev.weft.core.auth.TestTokens.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every supported algorithm verifies with its configured key, and attack stopped: a token whose payload or
 * signature was changed after signing (e.g. {@code sub} swapped for another user) is refused.
 */
class TokenSignatureTest {
    private static final JWTClaimsSet ALICE = TestTokens.user("alice", now() + 600);

    private static JwtVerifier verifier(TokenOptions options) {
        return new JwtVerifier(options, Clock.systemUTC());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void hmacAlgorithmsVerify(String alg) throws Exception {
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        assertThat(v.verifyConnectToken(TestTokens.hmac(JWSAlgorithm.parse(alg), TestTokens.SECRET, ALICE)).user())
                .isEqualTo("alice");
    }

    @Test
    void shortHmacSecretsWorkAsInCentrifugo() throws Exception {
        var v = verifier(TokenOptions.builder().hmacSecretKey("s3cr3t").build());
        assertThat(v.verifyConnectToken(TestTokens.hmac(JWSAlgorithm.HS512, "s3cr3t", ALICE)).user()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512"})
    void rsaAlgorithmsVerifyWithThePemKey(String alg) throws Exception {
        RSAKey key = TestTokens.rsaKey("r");
        var v = verifier(TokenOptions.builder().rsaPublicKey(TestTokens.pem(key)).build());
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.parse(alg), key, ALICE)).user()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "ES384", "ES512"})
    void ecdsaAlgorithmsVerifyWithAKeyOfTheirCurve(String alg) throws Exception {
        Curve curve = switch (alg) {
            case "ES256" -> Curve.P_256;
            case "ES384" -> Curve.P_384;
            default -> Curve.P_521;
        };
        ECKey key = TestTokens.ecKey(curve, "e");
        var v = verifier(TokenOptions.builder().ecdsaPublicKey(TestTokens.pem(key)).build());
        assertThat(v.verifyConnectToken(TestTokens.ec(JWSAlgorithm.parse(alg), key, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void allKeySourcesTogetherEachVerifyTheirOwnTokens() throws Exception {
        RSAKey rsa = TestTokens.rsaKey("r");
        ECKey ec = TestTokens.ecKey(Curve.P_256, "e");
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).rsaPublicKey(TestTokens.pem(rsa))
                .ecdsaPublicKey(TestTokens.pem(ec)).build());
        assertThat(v.verifyConnectToken(TestTokens.hmac(TestTokens.SECRET, ALICE)).user()).isEqualTo("alice");
        assertThat(v.verifyConnectToken(TestTokens.rsa(JWSAlgorithm.RS256, rsa, ALICE)).user()).isEqualTo("alice");
        assertThat(v.verifyConnectToken(TestTokens.ec(JWSAlgorithm.ES256, ec, ALICE)).user()).isEqualTo("alice");
    }

    @Test
    void pemKeysAreReadAsTextBase64OrFileAndPkcs1(@TempDir Path dir) throws Exception {
        RSAKey key = TestTokens.rsaKey("r");
        String token = TestTokens.rsa(JWSAlgorithm.RS256, key, ALICE);
        String pem = TestTokens.pem(key);
        Path file = dir.resolve("key.pem");
        Files.writeString(file, pem);
        String base64 = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        // PKCS#1 "RSA PUBLIC KEY": the SubjectPublicKeyInfo minus its 24-byte header for a 2048-bit key.
        byte[] spki = key.toPublicKey().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
        String pkcs1Pem = "-----BEGIN RSA PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PUBLIC KEY-----";
        for (String value : new String[] {pem, base64, file.toString(), pkcs1Pem}) {
            var v = verifier(TokenOptions.builder().rsaPublicKey(value).build());
            assertThat(v.verifyConnectToken(token).user()).isEqualTo("alice");
        }
    }

    @Test
    void unreadableKeysAreConfigurationErrorsThatDoNotEchoTheValue() {
        assertThatThrownBy(() -> PemKeys.parse("not a key", "RSA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not a key");
        String ecPem = TestTokens.pem(TestTokens.ecKey(Curve.P_256, "e"));
        assertThatThrownBy(() -> PemKeys.parse(ecPem, "RSA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> verifier(TokenOptions.builder().rsaPublicKey("garbage").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadChangedAfterSigningIsRefused() {
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        String[] parts = TestTokens.hmac(TestTokens.SECRET, ALICE).split("\\.");
        String forged = com.nimbusds.jose.util.Base64URL.encode(
                TestTokens.user("admin", now() + 600).toString().getBytes(StandardCharsets.UTF_8)).toString();
        assertThatThrownBy(() -> v.verifyConnectToken(parts[0] + "." + forged + "." + parts[2]))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.kind()).isEqualTo(InvalidTokenException.Kind.INVALID));
    }

    @Test
    void everySignatureBitFlipIsRefused() {
        RSAKey key = TestTokens.rsaKey("r");
        var v = verifier(TokenOptions.builder().rsaPublicKey(TestTokens.pem(key)).hmacSecretKey(TestTokens.SECRET)
                .build());
        for (String token : new String[] {TestTokens.rsa(JWSAlgorithm.RS256, key, ALICE),
                TestTokens.hmac(TestTokens.SECRET, ALICE)}) {
            String[] parts = token.split("\\.");
            byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
            for (int i = 0; i < sig.length; i += 7) {
                byte[] flipped = sig.clone();
                flipped[i] ^= 0x01;
                String tampered = parts[0] + "." + parts[1] + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
                assertThatThrownBy(() -> v.verifyConnectToken(tampered)).isInstanceOf(InvalidTokenException.class);
            }
            assertThatThrownBy(() -> v.verifyConnectToken(parts[0] + "." + parts[1] + "."))
                    .isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void expiredForgeryIsInvalidNotExpired() {
        // A forged token must not earn "expired, please refresh": the signature is checked first.
        var v = verifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET).build());
        String forged = TestTokens.hmac("wrong-secret", TestTokens.user("alice", now() - 60));
        assertThatThrownBy(() -> v.verifyConnectToken(forged)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.kind()).isEqualTo(InvalidTokenException.Kind.INVALID));
    }
}
