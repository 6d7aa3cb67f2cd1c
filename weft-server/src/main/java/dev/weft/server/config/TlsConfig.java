package dev.weft.server.config;

/**
 * {@code http_server.tls.*}, Centrifugo v6's unified TLS object as far as a server uses it: when enabled the
 * HTTP port speaks TLS only, offering HTTP/2 ({@code h2}) and HTTP/1.1 by ALPN.
 *
 * @param certPem the certificate chain: PEM text, base64-encoded PEM, or the path of a PEM file (tried in that
 *                order, as Centrifugo does)
 * @param keyPem  its private key (PKCS#8 {@code PRIVATE KEY}, or PKCS#1 {@code RSA PRIVATE KEY} / SEC 1
 *                {@code EC PRIVATE KEY}), in any of the same forms
 */
public record TlsConfig(boolean enabled, String certPem, String keyPem) {
    public static final TlsConfig DISABLED = new TlsConfig(false, "", "");

    public TlsConfig {
        certPem = certPem == null ? "" : certPem;
        keyPem = keyPem == null ? "" : keyPem;
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "TlsConfig[enabled=" + enabled + ", certPem=" + describe(certPem) + ", keyPem=" + describe(keyPem)
                + "]";
    }

    private static String describe(String pem) {
        return pem.isEmpty() ? "none" : pem.length() + " chars";
    }
}
