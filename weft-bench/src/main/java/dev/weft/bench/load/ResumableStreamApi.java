package dev.weft.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/** The resumable-stream target's HTTP API ({@code weft-bench/targets/resumable-stream/server.mjs}). */
public final class ResumableStreamApi implements TokenStreamApi {

    private final HttpClient http;
    private final URI base;
    private final String run;

    public ResumableStreamApi(HttpClient http, URI base, String run) {
        this.http = http;
        this.base = base;
        this.run = run;
    }

    @Override
    public List<String> create(int count) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("s" + run + "_" + i);
        }
        TokenStreamApi.post(http, base.resolve("/streams"), idsBody(ids), null);
        return ids;
    }

    @Override
    public void append(List<String> ids, List<String> tokens) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(16 + ids.size() * 48).append('[');
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "[" : ",[").append(TokenStreamApi.quoted(ids.get(i))).append(',')
                    .append(TokenStreamApi.quoted(tokens.get(i))).append(']');
        }
        TokenStreamApi.post(http, base.resolve("/append"), body.append(']').toString(), null);
    }

    @Override
    public void finish(List<String> ids) throws IOException, InterruptedException {
        TokenStreamApi.post(http, base.resolve("/finish"), idsBody(ids), null);
    }

    @Override
    public URI reader(String id) {
        return base.resolve("/streams/" + id);
    }

    private static String idsBody(List<String> ids) {
        return "{\"ids\":[" + String.join(",", ids.stream().map(TokenStreamApi::quoted).toList()) + "]}";
    }
}
