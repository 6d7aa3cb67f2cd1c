package dev.weft.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM text, with the JDK only: {@code CERTIFICATE} blocks (the chain, leaf
 * first) and one private key as PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}, with its named curve) — what
 * {@code openssl} and ACME clients write. Encrypted keys are refused with a clear message.
 *
 * <p>Stateless, thread-safe.
 */
public final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** DER of AlgorithmIdentifier {rsaEncryption, NULL}. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey). */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemKeys() {
    }

    /** Every certificate in {@code pem}, in order. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block");
        }
        return chain;
    }

    /** The private key in {@code pem}. */
    public static PrivateKey privateKey(String pem) {
        for (Block block : blocks(pem)) {
            byte[] pkcs8 = switch (block.type()) {
                case "PRIVATE KEY" -> block.der();
                case "RSA PRIVATE KEY" -> sequence(concat(hex("020100"), RSA_ALGORITHM, octetString(block.der())));
                case "EC PRIVATE KEY" -> sequence(concat(hex("020100"),
                        sequence(concat(EC_PUBLIC_KEY_OID, curveOf(block.der()))), octetString(block.der())));
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        "encrypted private keys are not supported; decrypt it (openssl pkcs8 -nocrypt)");
                default -> null;
            };
            if (pkcs8 != null) {
                return decode(pkcs8);
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    }

    private static PrivateKey decode(byte[] pkcs8) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException("unreadable private key (not RSA, EC or Ed25519 PKCS#8)");
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in a " + m.group(1) + " block");
            }
        }
        return blocks;
    }

    /** The named curve OID (with its tag) of a SEC 1 {@code ECPrivateKey}: the {@code [0]} field. */
    private static byte[] curveOf(byte[] sec1) {
        int[] seq = header(sec1, 0);
        int pos = seq[0];
        int end = seq[0] + seq[1];
        while (pos < end) {
            int tag = sec1[pos] & 0xff;
            int[] field = header(sec1, pos);
            if (tag == 0xa0) {
                int oidStart = field[0];
                int[] oid = header(sec1, oidStart);
                if ((sec1[oidStart] & 0xff) != 0x06) {
                    break;
                }
                return java.util.Arrays.copyOfRange(sec1, oidStart, oid[0] + oid[1]);
            }
            pos = field[0] + field[1];
        }
        throw new IllegalArgumentException("EC PRIVATE KEY without a named curve; convert it to PKCS#8");
    }

    /** {content start, content length} of the DER element at {@code pos}. */
    static int[] header(byte[] der, int pos) {
        if (pos + 1 >= der.length) {
            throw new IllegalArgumentException("truncated key");
        }
        int length = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (length >= 0x80) {
            int bytes = length & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += bytes;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("truncated key");
        }
        return new int[] {start, length};
    }

    private static byte[] sequence(byte[] content) {
        return tagged(0x30, content);
    }

    private static byte[] octetString(byte[] content) {
        return tagged(0x04, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
