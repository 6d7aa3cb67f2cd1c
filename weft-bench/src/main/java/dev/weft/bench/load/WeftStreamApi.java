package dev.weft.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Weft's backend push API through {@code POST /api/batch}: {@code stream_create}, {@code stream_append} (text),
 * {@code stream_finish} commands, one per stream; readers at {@code /ai/streams/<id>}. Stream {@code i} is
 * {@code s<i>} in its own channel {@code ai:bench<i>} (the {@code ai} namespace of the bench config keeps history).
 */
public final class WeftStreamApi implements TokenStreamApi {

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final String run;

    /** {@code base} is {@code http://host:port}; {@code run} keeps ids of successive runs on one server apart. */
    public WeftStreamApi(HttpClient http, URI base, String apiKey, String run) {
        this.http = http;
        this.base = base;
        this.authorization = "apikey " + apiKey;
        this.run = run;
    }

    @Override
    public List<String> create(int count) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>(count);
        StringBuilder body = new StringBuilder("{\"commands\":[");
        for (int i = 0; i < count; i++) {
            String name = "s" + run + "_" + i;
            String channel = "ai:bench" + run + "_" + i;
            ids.add(name + "@" + channel);
            body.append(i == 0 ? "" : ",").append("{\"stream_create\":{\"channel\":").append(TokenStreamApi.quoted(channel))
                    .append(",\"id\":").append(TokenStreamApi.quoted(ids.getLast())).append("}}");
        }
        batch(body.append("]}"));
        return ids;
    }

    @Override
    public void append(List<String> ids, List<String> tokens) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(64 + ids.size() * 96).append("{\"commands\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"stream_append\":{\"id\":").append(TokenStreamApi.quoted(ids.get(i)))
                    .append(",\"text\":").append(TokenStreamApi.quoted(tokens.get(i))).append("}}");
        }
        batch(body.append("]}"));
    }

    @Override
    public void finish(List<String> ids) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"commands\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"stream_finish\":{\"id\":").append(TokenStreamApi.quoted(ids.get(i)))
                    .append("}}");
        }
        batch(body.append("]}"));
    }

    @Override
    public URI reader(String id) {
        return base.resolve("/ai/streams/" + id);
    }

    /** A batch answers 200 with one reply per command; a refused command is an {@code error} reply. */
    private void batch(StringBuilder body) throws IOException, InterruptedException {
        String answer = TokenStreamApi.post(http, base.resolve("/api/batch"), body.toString(), authorization);
        if (answer.contains("\"error\"")) {
            throw new IOException("batch refused: " + answer.substring(0, Math.min(500, answer.length())));
        }
    }
}
