package dev.weft.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * How the ai-streams scenario drives a server's AI token streams over HTTP: create streams, append one token
 * to each of many streams in one request (what a backend serving many answers at once sends per tick), end
 * them, and where a reader reads one as SSE in the AI SDK UI message stream protocol.
 */
public interface TokenStreamApi {

    /** Creates the streams {@code 0 … count-1}; returns their ids. */
    List<String> create(int count) throws IOException, InterruptedException;

    /** Appends {@code tokens.get(i)} to stream {@code ids.get(i)}, all in one request. */
    void append(List<String> ids, List<String> tokens) throws IOException, InterruptedException;

    /** Ends the streams with {@code finish} (readers then get {@code [DONE]}). */
    void finish(List<String> ids) throws IOException, InterruptedException;

    /** A reader's SSE address for stream {@code id}. */
    URI reader(String id);

    /** POSTs a JSON body; anything but 200 is an error naming the answer. */
    static String post(HttpClient http, URI uri, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** JSON string literal of {@code s} (ids and tokens here hold no characters that need escaping). */
    static String quoted(String s) {
        return '"' + s + '"';
    }
}
