package dev.weft.server.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code curl -N} in Java: one streaming GET read block by block (the way an EventSource splits the
 * stream), every block kept — events, id-only blocks, {@code retry:} and comments — so tests can assert
 * on exactly what went over the wire.
 *
 * <p>Blocks are read on a virtual thread into a queue; {@link #next} takes them in order.
 */
public final class SseTestClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Marks the end of the stream in the queue. */
    private static final Block END = new Block(null, null, null, null, List.of());

    /** One block of lines up to a blank line; fields are null when absent. */
    public record Block(String id, String event, String data, Long retry, List<String> comments) {
        public boolean isHeartbeat() {
            return id == null && event == null && data == null && retry == null && !comments.isEmpty();
        }
    }

    private final HttpResponse<InputStream> response;
    private final LinkedBlockingQueue<Block> blocks = new LinkedBlockingQueue<>();

    private SseTestClient(HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().name("sse-test-reader").start(this::read);
    }

    static SseTestClient open(String url, Map<String, String> headers) throws IOException, InterruptedException {
        return open(HTTP, url, headers);
    }

    /** A stream opened with {@code http} (e.g. an HTTP/2 client). */
    public static SseTestClient open(HttpClient http, String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET()
                .header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    static SseTestClient open(String url) throws IOException, InterruptedException {
        return open(url, Map.of());
    }

    /** A request answered with a whole body (refusals, preflights). */
    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next block, or null once the stream ended; fails after 10 s. */
    public Block next() throws InterruptedException {
        Block block = blocks.poll(10, TimeUnit.SECONDS);
        if (block == null) {
            throw new AssertionError("no SSE block within 10 s");
        }
        return block == END ? null : block;
    }

    /** The next block that is not a heartbeat comment. */
    public Block nextEvent() throws InterruptedException {
        Block block;
        do {
            block = next();
        } while (block != null && block.isHeartbeat());
        return block;
    }

    /**
     * The next {@code count} publication events, skipping heartbeats and blocks without an event; fails
     * when they have not all come within 20 s.
     */
    public List<Block> publications(int count) throws InterruptedException {
        List<Block> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + out.size() + " of " + count + " publications within 20 s: "
                        + out.stream().map(Block::id).toList());
            }
            Block block = nextEvent();
            if (block == null) {
                throw new AssertionError("stream ended after " + out.size() + " of " + count + " publications");
            }
            if ("publication".equals(block.event())) {
                out.add(block);
            }
        }
        return out;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            Long retry = null;
            List<String> comments = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    blocks.add(new Block(id, event, data == null ? null : data.toString(), retry, List.copyOf(comments)));
                    id = null;
                    event = null;
                    data = null;
                    retry = null;
                    comments.clear();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "" -> comments.add(value);
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> retry = Long.parseLong(value);
                    default -> throw new AssertionError("unexpected SSE field: " + line);
                }
            }
        } catch (IOException e) {
            // the test closed the stream, or the server cut it: both end the stream
        } finally {
            blocks.add(END);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already gone
        }
    }
}
