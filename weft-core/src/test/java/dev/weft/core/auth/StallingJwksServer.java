package dev.weft.core.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JWKS endpoint on a raw socket that can misbehave the slow way: in stall mode it sends its status line and
 * headers (announcing a 64 KiB body) at once, then drips the body one space every 100 ms for as long as the
 * client stays, which is what a half-broken proxy or an overloaded identity provider looks like. In normal
 * mode it serves the set keys.
 */
public final class StallingJwksServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicReference<CountDownLatch> stalledRequest = new AtomicReference<>(new CountDownLatch(1));
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean stall;
    private volatile boolean closed;

    public StallingJwksServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("stalling-jwks-accept").start(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/jwks";
    }

    public void serve(JWK... keys) {
        document.set(new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    /** From now on, every request gets its headers and then a body that never ends. */
    public void stall(boolean on) {
        stall = on;
    }

    /** Waits (up to 10 s, else fails) until a request has been answered in stall mode since the last call. */
    public void awaitStalledRequest() throws InterruptedException {
        if (!stalledRequest.get().await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("no request reached the stalled JWKS endpoint");
        }
        stalledRequest.set(new CountDownLatch(1));
    }

    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().name("stalling-jwks-conn").start(() -> answer(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            readHead(in);
            requests.incrementAndGet();
            if (stall) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalledRequest.get().countDown();
                while (!closed) {
                    Thread.sleep(100);
                    out.write(' ');
                    out.flush();
                }
                return;
            }
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The client gave up (what a bounded fetch does) or the server is closing.
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
