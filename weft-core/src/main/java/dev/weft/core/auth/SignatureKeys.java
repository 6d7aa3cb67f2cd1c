package dev.weft.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Set;

/**
 * Checks a JWT's signature with the key its {@code alg} calls for — and only with a key of that kind, which
 * is what stops key-confusion attacks: an {@code HS256} token is checked with the HMAC secret and nothing else
 * (never with a public key used as a secret); an {@code RS256} token only with an RSA key; {@code none} and
 * every algorithm not listed here are refused.
 *
 * <table>
 *   <caption>Which key checks which token</caption>
 *   <tr><th>alg</th><th>key</th></tr>
 *   <tr><td>HS256/384/512</td><td>{@code hmac_secret_key}, MAC computed by the JDK and compared in constant
 *       time (nimbus refuses secrets shorter than the hash, and Centrifugo users have such secrets)</td></tr>
 *   <tr><td>RS256/384/512</td><td>the JWKS key with the token's {@code kid} when a JWKS endpoint is set and the
 *       token has a {@code kid}; else {@code rsa_public_key}; else the JWKS keys</td></tr>
 *   <tr><td>ES256/384/512</td><td>the same with EC keys ({@code ecdsa_public_key}); the curve must fit</td></tr>
 *   <tr><td>EdDSA, Ed25519</td><td>Ed25519 keys of the JWKS, checked with the JDK's Ed25519 (nimbus's own
 *       verifier needs Google Tink, which Weft does not ship)</td></tr>
 * </table>
 *
 * <p>Immutable; thread-safe. May block while the JWKS is fetched, at most
 * {@link JwksKeySource.Settings#fetchBound()}.
 */
final class SignatureKeys {
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWSAlgorithm> EDDSA = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
            0x21, 0x00};

    private final byte[] hmacSecret;
    private final RSAPublicKey rsaKey;
    private final ECPublicKey ecKey;
    private final JwksKeySource jwks;

    /**
     * @throws IllegalArgumentException when a configured PEM key cannot be read
     */
    SignatureKeys(TokenOptions options, JwksKeySource jwks) {
        this.hmacSecret = options.hmacSecretKey().getBytes(StandardCharsets.UTF_8);
        this.rsaKey = options.rsaPublicKey().isEmpty() ? null
                : (RSAPublicKey) PemKeys.parse(options.rsaPublicKey(), "RSA");
        this.ecKey = options.ecdsaPublicKey().isEmpty() ? null
                : (ECPublicKey) PemKeys.parse(options.ecdsaPublicKey(), "EC");
        this.jwks = jwks;
    }

    boolean configured() {
        return hmacSecret.length > 0 || rsaKey != null || ecKey != null || jwks != null;
    }

    void verify(SignedJWT jwt) throws InvalidTokenException {
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            // RFC 7515 4.1.11: we understand no extension, so a token that requires one must be refused.
            throw InvalidTokenException.invalid("token requires header extensions " + header.getCriticalParams());
        }
        boolean ok;
        if (HMAC.contains(alg)) {
            ok = verifyHmac(alg, jwt);
        } else if (RSA.contains(alg)) {
            ok = verifyAsymmetric(jwt, rsaKey, RSAKey.class);
        } else if (EC.contains(alg)) {
            ok = verifyAsymmetric(jwt, ecKey, ECKey.class);
        } else if (EDDSA.contains(alg)) {
            ok = verifyWithJwks(jwt, OctetKeyPair.class, "EdDSA");
        } else {
            throw InvalidTokenException.invalid("unsupported token algorithm " + alg);
        }
        if (!ok) {
            throw InvalidTokenException.invalid("bad token signature");
        }
    }

    private boolean verifyHmac(JWSAlgorithm alg, SignedJWT jwt) throws InvalidTokenException {
        if (hmacSecret.length == 0) {
            throw InvalidTokenException.invalid(alg + " token but no HMAC secret is configured");
        }
        String macName = "Hmac" + "SHA" + alg.getName().substring(2);
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(hmacSecret, macName));
            return MessageDigest.isEqual(mac.doFinal(jwt.getSigningInput()), jwt.getSignature().decode());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + macName, e);
        }
    }

    private <K extends JWK> boolean verifyAsymmetric(SignedJWT jwt, PublicKey staticKey, Class<K> jwkType)
            throws InvalidTokenException {
        String family = jwkType == RSAKey.class ? "RSA" : "EC";
        boolean useJwks = jwks != null && (staticKey == null || jwt.getHeader().getKeyID() != null);
        if (useJwks) {
            return verifyWithJwks(jwt, jwkType, family);
        }
        if (staticKey == null) {
            throw InvalidTokenException.invalid(jwt.getHeader().getAlgorithm() + " token but no " + family
                    + " public key is configured");
        }
        return verifyWith(jwt, staticKey);
    }

    private <K extends JWK> boolean verifyWithJwks(SignedJWT jwt, Class<K> jwkType, String family)
            throws InvalidTokenException {
        if (jwks == null) {
            throw InvalidTokenException.invalid(jwt.getHeader().getAlgorithm() + " token but no JWKS endpoint "
                    + "is configured");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        List<JWK> candidates = jwks.keys(jwt.getHeader().getKeyID()).stream()
                .filter(jwkType::isInstance)
                .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
                .filter(k -> k.getAlgorithm() == null || k.getAlgorithm().getName().equals(alg.getName())
                        || (EDDSA.contains(alg) && EDDSA.stream().anyMatch(a -> a.equals(k.getAlgorithm()))))
                .toList();
        if (candidates.isEmpty()) {
            throw InvalidTokenException.invalid("no " + family + " key in the JWKS for this " + alg + " token");
        }
        for (JWK key : candidates) {
            try {
                PublicKey publicKey = switch (key) {
                    case RSAKey rsa -> rsa.toRSAPublicKey();
                    case ECKey ec -> ec.toECPublicKey();
                    case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> ed25519(okp);
                    default -> null;
                };
                if (publicKey != null && verifyWith(jwt, publicKey)) {
                    return true;
                }
            } catch (JOSEException | GeneralSecurityException e) {
                // A malformed key in the set: try the others.
            }
        }
        return false;
    }

    private static boolean verifyWith(SignedJWT jwt, PublicKey key) throws InvalidTokenException {
        try {
            if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
                Signature sig = Signature.getInstance("Ed25519");
                sig.initVerify(key);
                sig.update(jwt.getSigningInput());
                return sig.verify(jwt.getSignature().decode());
            }
            JWSVerifier verifier = switch (key) {
                case RSAPublicKey rsa -> new RSASSAVerifier(rsa);
                case ECPublicKey ec -> new ECDSAVerifier(ec);
                default -> throw InvalidTokenException.invalid("unsupported key " + key.getAlgorithm());
            };
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            // e.g. an ES384 token against a P-256 key: nimbus refuses the combination.
            throw InvalidTokenException.invalid("token cannot be checked with this key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static PublicKey ed25519(OctetKeyPair okp) throws GeneralSecurityException {
        byte[] x = okp.getDecodedX();
        if (x.length != 32) {
            throw new GeneralSecurityException("Ed25519 key is not 32 bytes");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
