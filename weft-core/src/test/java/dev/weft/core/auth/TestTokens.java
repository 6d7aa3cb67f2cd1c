package dev.weft.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Mints JWTs for tests as an application backend (or an attacker) would: signed with HMAC, RSA, ECDSA or
 * Ed25519, or hand-assembled with any header. Keys are generated per call; nothing is shared between tests.
 */
public final class TestTokens {
    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256-and-more";

    private TestTokens() {
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Claims from name/value pairs; numbers, strings, lists and maps as JSON would have them. */
    public static JWTClaimsSet claims(Map<String, ?> values) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        values.forEach(b::claim);
        return b.build();
    }

    public static JWTClaimsSet user(String sub, long exp) {
        return claims(exp == 0 ? Map.of("sub", sub) : Map.of("sub", sub, "exp", exp));
    }

    /** HS256/384/512 with the JDK's MAC (works for secrets shorter than the hash, as Centrifugo users have). */
    public static String hmac(JWSAlgorithm alg, String secret, JWTClaimsSet claims) {
        return hmacRaw(new JWSHeader(alg).toBase64URL().toString(), claims.toString(), alg, secret);
    }

    public static String hmac(String secret, JWTClaimsSet claims) {
        return hmac(JWSAlgorithm.HS256, secret, claims);
    }

    /** HMAC over an arbitrary header and payload JSON (for crafted attacks). */
    public static String hmacRaw(String headerB64, String payloadJson, JWSAlgorithm alg, String secret) {
        String signingInput = headerB64 + "." + Base64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        String macName = "HmacSHA" + alg.getName().substring(2);
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macName));
            byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64URL.encode(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC with raw key bytes (the key-confusion attack: an RSA public key used as an HMAC secret). */
    public static String hmacWithKeyBytes(byte[] key, JWSAlgorithm alg, JWTClaimsSet claims) {
        String signingInput = new JWSHeader(alg).toBase64URL() + "." + Base64URL.encode(
                claims.toString().getBytes(StandardCharsets.UTF_8));
        String macName = "HmacSHA" + alg.getName().substring(2);
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(key, macName));
            return signingInput + "." + Base64URL.encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(Curve curve, String kid) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rsa(JWSAlgorithm alg, RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), new RSASSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String ec(JWSAlgorithm alg, ECKey key, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), new ECDSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** An Ed25519 key pair from the JDK with its public JWK ({@code OKP}, {@code crv: Ed25519}). */
    public record Ed25519(KeyPair pair, OctetKeyPair jwk) {
    }

    public static Ed25519 ed25519Key(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            return new Ed25519(pair, new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EdDSA-signed with the JDK (nimbus's Ed25519 signer needs Google Tink). */
    public static String ed25519(JWSAlgorithm alg, Ed25519 key, JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(alg).keyID(key.jwk().getKeyID()).build();
        String signingInput = header.toBase64URL() + "." + Base64URL.encode(
                claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initSign(key.pair().getPrivate());
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64URL.encode(sig.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token assembled from raw JSON parts and a raw signature part (for {@code alg: none} and friends). */
    public static String raw(String headerJson, String payloadJson, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    /** A check that may refuse a token. */
    public interface Check {
        void run() throws InvalidTokenException;
    }

    /** Why {@code check} refused its token; fails the test when the token was accepted. */
    public static InvalidTokenException.Kind refusal(Check check) {
        try {
            check.run();
        } catch (InvalidTokenException e) {
            return e.kind();
        }
        throw new AssertionError("token was accepted");
    }

    /** Why {@code verifier} refused {@code token} as a connection token. */
    public static InvalidTokenException.Kind refusal(TokenVerifier verifier, String token) {
        return refusal(() -> verifier.verifyConnectToken(token));
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static String pem(RSAKey key) {
        try {
            return pem(key.toPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(ECKey key) {
        try {
            return pem(key.toPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
