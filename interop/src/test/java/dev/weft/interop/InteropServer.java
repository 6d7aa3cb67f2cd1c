package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.WeftServer;
import dev.weft.server.config.EmulationConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WeftConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * An in-process Weft on an ephemeral loopback port (with HTTP-streaming and SSE emulation on), configured
 * the way the interop scenarios expect,
 * plus what a test needs around it: connection JWTs and server-API publishing.
 *
 * <p>Namespaces (the node scripts and the Java tests rely on these exact names and options):
 * <ul>
 *   <li>{@code chat}: presence, join_leave + force_push_join_leave, history (10, 300 s), subscribe for
 *       client, publish/history/presence for subscriber — the basic scenario;</li>
 *   <li>{@code rec}: history_size 100, history_ttl 300 s, force_recovery, subscribe for client, history
 *       for subscriber — the recovery scenario and the centrifuge-java test;</li>
 *   <li>{@code delta}: as {@code rec}, with {@code allowed_delta_types: ["fossil"]} — the delta scenario.</li>
 * </ul>
 *
 * <p>Thread-safe after {@link #start()}: fields are final; {@link HttpClient} is thread-safe.
 */
final class InteropServer implements AutoCloseable {

    static final String HMAC_SECRET = "weft-interop-hmac-secret-at-least-256-bits-long";
    static final String API_KEY = "weft-interop-api-key";
    static final int REC_HISTORY_SIZE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeftServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private InteropServer(WeftServer server) {
        this.server = server;
    }

    static InteropServer start() throws Exception {
        return start(config());
    }

    static InteropServer start(WeftConfig config) {
        return new InteropServer(WeftServer.start(config));
    }

    static WeftConfig config() {
        ChannelOptions chat = ChannelOptions.builder()
                .presence(true)
                .joinLeave(true)
                .forcePushJoinLeave(true)
                .historySize(10)
                .historyTtl(Duration.ofSeconds(300))
                .allowSubscribeForClient(true)
                .allowPublishForSubscriber(true)
                .allowHistoryForSubscriber(true)
                .allowPresenceForSubscriber(true)
                .build();
        ChannelOptions rec = ChannelOptions.builder()
                .historySize(REC_HISTORY_SIZE)
                .historyTtl(Duration.ofSeconds(300))
                .forceRecovery(true)
                .allowSubscribeForClient(true)
                .allowHistoryForSubscriber(true)
                .build();
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT,
                List.of(new Namespace("chat", chat), new Namespace("rec", rec),
                        new Namespace("delta", rec.toBuilder().allowFossilDelta(true).build())));
        NodeConfig node = NodeConfig.DEFAULT
                // Short grace after a token expires, so the token_refresh scenario proves the SDK refreshed.
                .withClient(ClientOptions.builder().tokenHmacSecretKey(HMAC_SECRET)
                        .expiredCloseDelay(Duration.ofSeconds(2)).expiredSubCloseDelay(Duration.ofSeconds(2))
                        .build())
                .withChannels(channels);
        return WeftConfig.DEFAULT
                .withNode(node)
                .withDataDir(freshDataDirectory()) // the default engine: channel history in SQLite
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(API_KEY, false))
                .withEmulation(EmulationConfig.enabled());
    }

    /** A new directory under the build's target directory, so each server starts with empty history. */
    private static String freshDataDirectory() {
        try {
            Path target = Path.of(System.getProperty("weft.interop.targetDir", "target"));
            Files.createDirectories(target);
            return Files.createTempDirectory(target.toAbsolutePath(), "weft-data-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.port();
    }

    /** The engine, for scenarios where the test acts on the server side (e.g. drops a session). */
    Node node() {
        return server.node();
    }

    /** The document side, for scenarios that check what the server holds. */
    dev.weft.server.docs.DocumentService docs() {
        return server.docs();
    }

    /** {@code http://127.0.0.1:PORT}, for HTTP endpoints such as {@code /sse/<channel>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Bidirectional WebSocket endpoint; the format is chosen by the client's subprotocol. */
    String websocketUrl() {
        return "ws://127.0.0.1:" + port() + "/connection/websocket";
    }

    /** Base of the server API: methods are POSTed to {@code <apiUrl>/<method>}. */
    String apiUrl() {
        return "http://127.0.0.1:" + port() + "/api";
    }

    /** HS256 connection JWT for {@code user}, valid for an hour. */
    static String connectionToken(String user) {
        return connectionToken(user, List.of());
    }

    /** HS256 connection JWT with a {@code channels} claim (server-side subscriptions) when non-empty. */
    static String connectionToken(String user, List<String> channels) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
        if (!channels.isEmpty()) {
            claims.claim("channels", channels);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(HMAC_SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test JWT", e);
        }
        return jwt.serialize();
    }

    /** Publishes {@code data} through {@code POST /api/publish}; returns the {@code result} object. */
    JsonNode publish(String channel, JsonNode data) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("channel", channel);
        body.set("data", data);
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl() + "/publish"))
                .timeout(Duration.ofSeconds(5))
                .header("X-API-Key", API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /api/publish returned HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        JsonNode reply = JSON.readTree(response.body());
        if (reply.has("error") || !reply.has("result")) {
            throw new AssertionError("POST /api/publish to " + channel + " failed: " + response.body());
        }
        return reply.get("result");
    }

    @Override
    public void close() {
        http.close();
        server.close(Duration.ofSeconds(2)); // clients are gone by now; no need for the 10 s default grace
    }
}
