package dev.weft.server.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;

/**
 * The server's calls to other HTTP services (event proxies, document webhooks, model APIs relayed into AI
 * token streams): one keep-alive JDK {@link HttpClient} (HTTP/1.1, connections reused across calls) on virtual
 * threads. Each call is a POST with a deadline; {@link #post} refuses an answer body larger than
 * {@link #MAX_ANSWER_BYTES}, so a misbehaving backend cannot make the server buffer without bound;
 * {@link #open} hands the body over as a stream for the caller to read with its own bounds. How many calls run
 * at once is bounded by the callers ({@link HttpProxyEndpoint}, the AI relays).
 *
 * <p>Thread-safe. {@link #post} and {@link #open} block: call them from virtual threads.
 */
public final class OutboundHttp implements AutoCloseable {
    /** Largest answer body read; the backend's answer goes to clients, which have their own message limits. */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();

    /** Only 200 is an answer (Centrifugo's proxies). */
    public static final IntPredicate ONLY_200 = status -> status == 200;

    /** An answer with a status the call does not accept. */
    public static final class StatusException extends IOException {
        StatusException(int status) {
            super("HTTP status " + status, null);
        }
    }

    /**
     * POSTs {@code body} as JSON and returns the 200 answer's body.
     *
     * @param headers added in order (later ones replace earlier ones of the same name); headers the HTTP client
     *                manages itself are left out
     * @throws IOException unreachable, timed out ({@link java.net.http.HttpTimeoutException}), a non-200 status
     *                     ({@link StatusException}) or an answer over {@link #MAX_ANSWER_BYTES}
     */
    public byte[] post(URI uri, byte[] body, Map<String, String> headers, Duration timeout)
            throws IOException, InterruptedException {
        return post(uri, body, headers, timeout, ONLY_200);
    }

    /** {@link #post(URI, byte[], Map, Duration)} taking the answers whose status {@code accepted} admits. */
    public byte[] post(URI uri, byte[] body, Map<String, String> headers, Duration timeout, IntPredicate accepted)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = open(uri, body, headers, timeout);
        try (InputStream in = response.body()) {
            if (!accepted.test(response.statusCode())) {
                throw new StatusException(response.statusCode());
            }
            byte[] answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (answer.length > MAX_ANSWER_BYTES) {
                throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return answer;
        }
    }

    /**
     * POSTs {@code body} as JSON and returns the answer once its status and headers arrived, whatever the status,
     * with the body unread. The caller reads and closes the body; closing it before its end, or interrupting the
     * thread blocked in this call or in a read, aborts the exchange and closes its connection.
     *
     * @param headers        as for {@link #post}
     * @param headersTimeout longest wait for the status line and headers
     * @throws IOException unreachable or timed out ({@link java.net.http.HttpTimeoutException})
     */
    public HttpResponse<InputStream> open(URI uri, byte[] body, Map<String, String> headers,
                                          Duration headersTimeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(headersTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                request.setHeader(name, value);
            }
        });
        request.setHeader("Content-Type", "application/json");
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
