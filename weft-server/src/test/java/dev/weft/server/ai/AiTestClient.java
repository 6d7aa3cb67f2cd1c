package dev.weft.server.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.server.WeftServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A backend (server API with the key) and readers (connection JWTs) of one server's AI streams. */
record AiTestClient(WeftServer server, String key, String secret) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    JsonNode create(String body) throws Exception {
        return ok(post("/api/streams", body));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postAs(String path, String user) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token(user))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("u")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.has("result")).as(response.body()).isTrue();
        return answer.get("result");
    }

    static JsonNode error(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.has("error")).as(response.body()).isTrue();
        return answer.get("error");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path.replace("@", "%40"));
    }

    /** A reader of {@code path} as user "u", resuming after {@code lastEventId} when given. */
    Reader read(String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("u"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Reader(response);
    }

    String token(String user) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user).build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Reads UI message stream events off a response, line by line. */
    static final class Reader {
        final HttpResponse<Stream<String>> response;
        final Iterator<String> lines;
        String lastId;
        int events;

        Reader(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.lines = response.body().iterator();
        }

        /** The next part; null after {@code [DONE]}. */
        JsonNode next() throws Exception {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("id: ")) {
                    lastId = line.substring(4);
                } else if (line.equals("data: [DONE]")) {
                    return null;
                } else if (line.startsWith("data: ")) {
                    events++;
                    return JSON.readTree(line.substring(6));
                }
            }
            throw new AssertionError("stream ended without [DONE]");
        }

        /** The parts up to {@code [DONE]}; asserts the response ends right after it. */
        List<JsonNode> untilDone() throws Exception {
            List<JsonNode> parts = new ArrayList<>();
            for (JsonNode p = next(); p != null; p = next()) {
                parts.add(p);
            }
            List<String> after = CompletableFuture.supplyAsync(() -> {
                List<String> rest = new ArrayList<>();
                lines.forEachRemaining(rest::add);
                return rest;
            }).get(5, TimeUnit.SECONDS);
            assertThat(after).containsExactly(""); // the blank line that ends [DONE]'s event
            return parts;
        }
    }
}
