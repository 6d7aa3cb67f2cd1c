package dev.weft.server.tls;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Private keys in the PEM forms openssl and ACME clients write, read with the JDK alone. */
class PemKeysTest {

    private static String pem(String type, byte[] der) {
        return "some text before\n-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The content of the PKCS#8 privateKey OCTET STRING: the algorithm's own key structure. */
    private static byte[] innerKey(byte[] pkcs8) {
        int[] seq = PemKeys.header(pkcs8, 0);
        int pos = seq[0];
        for (int field = 0; field < 2; field++) {
            int[] h = PemKeys.header(pkcs8, pos);
            pos = h[0] + h[1];
        }
        int[] octets = PemKeys.header(pkcs8, pos);
        return Arrays.copyOfRange(pkcs8, octets[0], octets[0] + octets[1]);
    }

    @Test
    void readsPkcs8AndPkcs1RsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();

        assertThat(PemKeys.privateKey(pem("PRIVATE KEY", pkcs8)).getEncoded()).isEqualTo(pkcs8);
        assertThat(PemKeys.privateKey(pem("RSA PRIVATE KEY", innerKey(pkcs8))).getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void readsSec1EcKeysWithTheirNamedCurve() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] jdkSec1 = innerKey(pkcs8); // SEQUENCE {1, d, ...}: the JDK leaves the curve to PKCS#8
        int[] seq = PemKeys.header(jdkSec1, 0);
        int[] version = PemKeys.header(jdkSec1, seq[0]);
        int[] d = PemKeys.header(jdkSec1, version[0] + version[1]);
        byte[] privateKey = Arrays.copyOfRange(jdkSec1, version[0] + version[1], d[0] + d[1]);
        byte[] curve = HexFormat.of().parseHex("a00a06082a8648ce3d030107"); // [0] prime256v1
        byte[] body = concat(HexFormat.of().parseHex("020101"), privateKey, curve);
        byte[] sec1 = concat(new byte[] {0x30, (byte) body.length}, body);

        var key = (java.security.interfaces.ECPrivateKey) PemKeys.privateKey(
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pem("EC PRIVATE KEY", sec1));
        assertThat(key.getS()).isEqualTo(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS());
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> PemKeys.privateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {1})))
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> PemKeys.privateKey(pem("CERTIFICATE", new byte[] {1})))
                .hasMessageContaining("no PRIVATE KEY");
        assertThatThrownBy(() -> PemKeys.privateKey(pem("PRIVATE KEY", new byte[] {0x30, 0x03, 2, 1, 0})))
                .hasMessageContaining("unreadable private key");
        assertThatThrownBy(() -> PemKeys.certificates(pem("PRIVATE KEY", new byte[] {1})))
                .hasMessageContaining("no CERTIFICATE");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
