package dev.weft.core.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real application backend for proxy tests: an HTTP server on 127.0.0.1 that records every request it gets
 * (path, headers, body) and answers each path as the test says — a JSON body, another status, a delay, or
 * nothing at all (the connection is dropped). Requests are handled on virtual threads, so a slow answer never
 * holds up another.
 *
 * <p>Thread-safe.
 */
public final class RecordingBackend implements AutoCloseable {

    /** One request as the backend received it; header names lower-case. */
    public record Received(String path, Map<String, String> headers, String body) {
    }

    /** How to answer: {@code status} with {@code body} after {@code delay}; status 0 drops the connection. */
    public record Answer(int status, String body, Duration delay) {
        public static Answer json(String body) {
            return new Answer(200, body, Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, "", Duration.ZERO);
        }

        public Answer after(Duration delay) {
            return new Answer(status, body, delay);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Map<String, Function<Received, Answer>> answers = new ConcurrentHashMap<>();

    private RecordingBackend(HttpServer server) {
        this.server = server;
    }

    public static RecordingBackend start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            RecordingBackend backend = new RecordingBackend(server);
            server.createContext("/", backend::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code path} on this backend. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers requests to {@code path} with what {@code answer} returns (default: {@code {"result":{}}}). */
    public RecordingBackend on(String path, Function<Received, Answer> answer) {
        answers.put(path, answer);
        return this;
    }

    public RecordingBackend on(String path, String json) {
        return on(path, r -> Answer.json(json));
    }

    /** The next request received, waiting up to 10 s; fails when none came. */
    public Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the backend received no request within 10 s");
        }
        return r;
    }

    /** The next request to {@code path}, skipping others. */
    public Received next(String path) throws InterruptedException {
        while (true) {
            Received r = next();
            if (r.path().equals(path)) {
                return r;
            }
        }
    }

    /** How many requests are recorded and not yet taken. */
    public int pending() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(exchange.getRequestURI().getPath(), headers, body);
            received.add(r);
            Answer answer = answers.getOrDefault(r.path(), x -> Answer.json("{\"result\":{}}")).apply(r);
            if (answer.delay().isPositive()) {
                Thread.sleep(answer.delay());
            }
            if (answer.status() == 0) {
                return; // closing without a response
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
