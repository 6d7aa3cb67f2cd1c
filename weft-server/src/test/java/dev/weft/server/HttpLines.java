package dev.weft.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A streaming response read with the JDK {@link HttpClient}: lines of the body as they arrive, on a virtual
 * thread. Closing cancels the response (the client drops its stream or connection).
 */
final class HttpLines implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final LineQueue lines = new LineQueue();

    private HttpLines(HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().start(this::read);
    }

    static HttpLines open(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return new HttpLines(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /** The next line, waiting up to 10 s. */
    String next() throws InterruptedException {
        return lines.next();
    }

    /** Waits up to 10 s for the body to end; the lines that came first. */
    java.util.List<String> rest() throws InterruptedException {
        return lines.rest(java.time.Duration.ofSeconds(10));
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // cancelled or reset: the body ends here
        } finally {
            lines.end();
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
