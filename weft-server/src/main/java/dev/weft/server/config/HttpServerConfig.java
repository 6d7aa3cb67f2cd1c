package dev.weft.server.config;

/** {@code http_server.*}: listen address ("" = all interfaces) and port (0 = any free port, for tests). */
public record HttpServerConfig(String address, int port) {
    public static final HttpServerConfig DEFAULT = new HttpServerConfig("", 8000);

    public HttpServerConfig {
        address = address == null ? "" : address;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http_server.port must be 0..65535, got " + port);
        }
    }
}
