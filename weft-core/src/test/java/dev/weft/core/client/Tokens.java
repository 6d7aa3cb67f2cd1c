package dev.weft.core.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.util.Date;
import java.util.Map;

/** Mints JWTs for tests with nimbus, as an application backend would. */
public final class Tokens {
    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256-and-more";

    private Tokens() {
    }

    public static String connect(String user, long expSeconds) {
        return sign(JWSAlgorithm.HS256, SECRET, Map.of("sub", user), expSeconds);
    }

    public static String sign(JWSAlgorithm alg, String secret, Map<String, Object> claims, long expSeconds) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        if (expSeconds != 0) {
            b.expirationTime(new Date(expSeconds * 1000));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), b.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static long inSeconds(long seconds) {
        return System.currentTimeMillis() / 1000 + seconds;
    }
}
