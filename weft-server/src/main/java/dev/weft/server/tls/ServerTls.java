package dev.weft.server.tls;

import dev.weft.server.config.PemData;
import dev.weft.server.config.TlsConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

import javax.net.ssl.SSLException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server's TLS context from {@code http_server.tls}: the JDK's TLS (1.2 and 1.3), HTTP/2's cipher
 * suites, and ALPN offering {@code h2} then {@code http/1.1} — a browser holds all its SSE and streaming
 * responses to this server over one connection.
 *
 * <p>Stateless, thread-safe.
 */
public final class ServerTls {

    private ServerTls() {
    }

    /**
     * @throws IllegalArgumentException when the certificate or key cannot be loaded or do not fit together;
     *                                  the message names which and why (never the key itself)
     */
    public static SslContext context(TlsConfig tls) {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = PemKeys.certificates(PemData.load(tls.certPem()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http_server.tls.cert_pem: " + e.getMessage(), e);
        }
        try {
            key = PemKeys.privateKey(PemData.load(tls.keyPem()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http_server.tls.key_pem: " + e.getMessage(), e);
        }
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("http_server.tls: certificate and key do not make a TLS context: "
                    + e.getMessage(), e);
        }
    }
}
