package dev.weft.core.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public keys of {@code client.token.rsa_public_key} / {@code ecdsa_public_key} with the JDK alone.
 * The value may be, as Centrifugo accepts it: PEM text, base64 of PEM text, or the path of a PEM file. The PEM
 * block may be {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo), {@code RSA PUBLIC KEY} (PKCS#1) or
 * {@code CERTIFICATE} (its public key is used).
 *
 * <p>Stateless, thread-safe.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** DER of AlgorithmIdentifier {rsaEncryption, NULL}, to wrap a PKCS#1 key into SubjectPublicKeyInfo. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeys() {
    }

    /**
     * The public key of algorithm {@code keyAlgorithm} ("RSA" or "EC") in {@code value}.
     *
     * @throws IllegalArgumentException with a reason fit for a configuration error (never the key itself)
     */
    public static PublicKey parse(String value, String keyAlgorithm) {
        String pem = pemText(value.trim());
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PEM block, base64 of one, or a readable PEM file");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM body is not base64");
        }
        try {
            PublicKey key = switch (type) {
                case "PUBLIC KEY" -> KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(der));
                case "RSA PUBLIC KEY" -> KeyFactory.getInstance("RSA")
                        .generatePublic(new X509EncodedKeySpec(wrapPkcs1(der)));
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                default -> throw new IllegalArgumentException("PEM block " + type + " holds no public key");
            };
            if (!key.getAlgorithm().equals(keyAlgorithm)) {
                throw new IllegalArgumentException("expected an " + keyAlgorithm + " key, found " + key.getAlgorithm());
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid " + keyAlgorithm + " public key: " + e.getMessage());
        }
    }

    private static String pemText(String value) {
        if (value.contains("-----BEGIN")) {
            return value;
        }
        try {
            String decoded = new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
            if (decoded.contains("-----BEGIN")) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // not base64: maybe a path
        }
        try {
            Path path = Path.of(value);
            if (Files.isRegularFile(path)) {
                return Files.readString(path, StandardCharsets.UTF_8);
            }
        } catch (InvalidPathException | IOException e) {
            // reported below as "not a PEM block"
        }
        return value;
    }

    /** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits + PKCS#1 key) }. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] bitString = der((byte) 0x03, concat(new byte[] {0}, pkcs1));
        return der((byte) 0x30, concat(RSA_ALGORITHM_ID, bitString));
    }

    private static byte[] der(byte tag, byte[] content) {
        int len = content.length;
        byte[] lenBytes;
        if (len < 0x80) {
            lenBytes = new byte[] {(byte) len};
        } else if (len < 0x100) {
            lenBytes = new byte[] {(byte) 0x81, (byte) len};
        } else if (len < 0x10000) {
            lenBytes = new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        } else {
            lenBytes = new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        }
        return concat(new byte[] {tag}, concat(lenBytes, content));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
