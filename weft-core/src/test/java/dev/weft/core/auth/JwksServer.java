package dev.weft.core.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JWKS endpoint for tests: the JDK's HTTP server on a free port of 127.0.0.1, serving whatever keys the test
 * sets (public parts only), counting requests, and able to answer 503 for the next N requests or to go away
 * entirely and come back on the same port.
 */
public final class JwksServer implements AutoCloseable {
    private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private final int port;
    private HttpServer server;

    public JwksServer() throws IOException {
        this(0);
    }

    private JwksServer(int port) throws IOException {
        start(port);
        this.port = server.getAddress().getPort();
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] body;
            int status;
            if (failNext.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                status = 503;
                body = "down".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = document.get().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/jwks";
    }

    /** Serves these keys (public parts) from now on. */
    public void serve(JWK... keys) {
        document.set(new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    /** Serves a raw document (for malformed ones). */
    public void serveRaw(String json) {
        document.set(json);
    }

    public void failNext(int count) {
        failNext.set(count);
    }

    public int requests() {
        return requests.get();
    }

    /** Stops listening: connections are refused until {@link #restart}. */
    public void stop() {
        server.stop(0);
    }

    public void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
