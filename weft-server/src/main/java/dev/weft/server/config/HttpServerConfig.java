package dev.weft.server.config;

import java.time.Duration;

/**
 * {@code http_server.*}: listen address ("" = all interfaces), port (0 = any free port, for tests), TLS, whether
 * cleartext connections may speak HTTP/2 ({@code h2c_external}: prior knowledge or {@code Upgrade: h2c}), how
 * long a connection may sit without a request ({@code idle_timeout}), streams per HTTP/2 connection, and the
 * separate listener for internal endpoints ({@code internal_address}, {@code internal_port}).
 *
 * @param idleTimeout               how long a connection may wait for its next request: an HTTP/1.1 keep-alive
 *                                  connection after a response, an HTTP/2 connection without open streams
 * @param http2MaxConcurrentStreams streams one HTTP/2 connection may have open at once (SETTINGS)
 * @param internalAddress           interface for the internal listener; "" = {@code address}
 * @param internalPort              port for the internal listener; {@link #NO_PORT} = {@code port}
 */
public record HttpServerConfig(String address, int port, TlsConfig tls, boolean h2cExternal, Duration idleTimeout,
                               int http2MaxConcurrentStreams, String internalAddress, int internalPort) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Go's default, which Centrifugo serves with. */
    public static final int DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = 250;
    /** {@code internal_port} not set. */
    public static final int NO_PORT = -1;
    public static final HttpServerConfig DEFAULT = new HttpServerConfig("", 8000);

    public HttpServerConfig {
        address = address == null ? "" : address;
        internalAddress = internalAddress == null ? "" : internalAddress;
        tls = tls == null ? TlsConfig.DISABLED : tls;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http_server.port must be 0..65535, got " + port);
        }
        if (internalPort < NO_PORT || internalPort > 65535) {
            throw new IllegalArgumentException("http_server.internal_port must be 0..65535, got " + internalPort);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("http_server.idle_timeout must be positive, got " + idleTimeout);
        }
        if (http2MaxConcurrentStreams < 1) {
            throw new IllegalArgumentException("http_server.http2.max_concurrent_streams must be at least 1, got "
                    + http2MaxConcurrentStreams);
        }
    }

    /** Plain HTTP/1.1 on {@code address:port}. */
    public HttpServerConfig(String address, int port) {
        this(address, port, TlsConfig.DISABLED, false);
    }

    public HttpServerConfig(String address, int port, TlsConfig tls, boolean h2cExternal) {
        this(address, port, tls, h2cExternal, DEFAULT_IDLE_TIMEOUT, DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS, "", NO_PORT);
    }

    /**
     * Whether internal endpoints (server API, health) get a listener of their own, as in Centrifugo: when
     * {@code internal_address} or {@code internal_port} is set and names another address or port than the
     * public one.
     */
    public boolean separateInternal() {
        if (internalAddress.isEmpty() && internalPort == NO_PORT) {
            return false;
        }
        return !(internalAddressOrMain().equals(address) && internalPortOrMain() == port && port != 0);
    }

    /** The internal listener's address: {@code internal_address}, else {@code address}. */
    public String internalAddressOrMain() {
        return internalAddress.isEmpty() ? address : internalAddress;
    }

    /** The internal listener's port: {@code internal_port}, else {@code port}. */
    public int internalPortOrMain() {
        return internalPort == NO_PORT ? port : internalPort;
    }

    public HttpServerConfig withTls(TlsConfig v) {
        return new HttpServerConfig(address, port, v, h2cExternal, idleTimeout, http2MaxConcurrentStreams,
                internalAddress, internalPort);
    }

    public HttpServerConfig withH2cExternal(boolean v) {
        return new HttpServerConfig(address, port, tls, v, idleTimeout, http2MaxConcurrentStreams,
                internalAddress, internalPort);
    }

    public HttpServerConfig withIdleTimeout(Duration v) {
        return new HttpServerConfig(address, port, tls, h2cExternal, v, http2MaxConcurrentStreams,
                internalAddress, internalPort);
    }

    public HttpServerConfig withHttp2MaxConcurrentStreams(int v) {
        return new HttpServerConfig(address, port, tls, h2cExternal, idleTimeout, v, internalAddress, internalPort);
    }

    public HttpServerConfig withInternal(String internalAddress, int internalPort) {
        return new HttpServerConfig(address, port, tls, h2cExternal, idleTimeout, http2MaxConcurrentStreams,
                internalAddress, internalPort);
    }
}
