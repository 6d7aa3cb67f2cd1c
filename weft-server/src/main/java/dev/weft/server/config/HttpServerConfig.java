package dev.weft.server.config;

/**
 * {@code http_server.*}: listen address ("" = all interfaces), port (0 = any free port, for tests), TLS, and
 * whether cleartext connections may speak HTTP/2 ({@code h2c_external}: prior knowledge or
 * {@code Upgrade: h2c}).
 */
public record HttpServerConfig(String address, int port, TlsConfig tls, boolean h2cExternal) {
    public static final HttpServerConfig DEFAULT = new HttpServerConfig("", 8000);

    public HttpServerConfig {
        address = address == null ? "" : address;
        tls = tls == null ? TlsConfig.DISABLED : tls;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http_server.port must be 0..65535, got " + port);
        }
    }

    /** Plain HTTP/1.1 on {@code address:port}. */
    public HttpServerConfig(String address, int port) {
        this(address, port, TlsConfig.DISABLED, false);
    }

    public HttpServerConfig withTls(TlsConfig v) {
        return new HttpServerConfig(address, port, v, h2cExternal);
    }

    public HttpServerConfig withH2cExternal(boolean v) {
        return new HttpServerConfig(address, port, tls, v);
    }
}
