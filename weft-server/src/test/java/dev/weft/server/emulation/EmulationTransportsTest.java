package dev.weft.server.emulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.EmulationRequestCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.server.WeftServer;
import dev.weft.server.config.EmulationConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bidirectional emulation over real sockets with the real engine: {@code /connection/http_stream} (JSON and
 * Protobuf) and {@code /connection/sse} carry replies and pushes, {@code /emulation} carries commands — the
 * wire as centrifuge-js speaks it, read with the JDK's HTTP client.
 */
class EmulationTransportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ChannelOptions CHANNELS = ChannelOptions.builder()
            .historySize(100).historyTtl(Duration.ofMinutes(5)).presence(true).build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private WeftServer server;

    private WeftServer start(ClientOptions.Builder client, EmulationConfig emulation, List<String> origins) {
        NodeConfig node = NodeConfig.DEFAULT.withClient(client.insecure(true).build())
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(CHANNELS, List.of()));
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY).withNode(node)
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withAllowedOrigins(origins)
                .withEmulation(emulation));
        return server;
    }

    private WeftServer start() {
        return start(ClientOptions.builder(), EmulationConfig.enabled(), List.of());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        http.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static byte[] commands(ProtocolType type, Command... commands) {
        return ProtocolCodecs.of(type).encodeCommands(List.of(commands));
    }

    private static Command connectCommand() {
        return new Command(1, new ConnectRequest("", null, Map.of(), "emulation-test", "", Map.of()));
    }

    private static String contentType(ProtocolType type) {
        return type == ProtocolType.PROTOBUF ? "application/octet-stream" : "application/json";
    }

    /** An open emulated connection: its response, the replies read from it, and its connect result. */
    private record Stream(HttpResponse<InputStream> response, StreamReader reader, ConnectResult connect,
                          ProtocolType type) {
    }

    private Stream openHttpStream(ProtocolType type) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(HttpStreamEndpoint.PATH))
                .header("Content-Type", contentType(type))
                .POST(HttpRequest.BodyPublishers.ofByteArray(commands(type, connectCommand()))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        StreamReader reader = new StreamReader(response.body(),
                type == ProtocolType.PROTOBUF ? StreamReader.Framing.PROTOBUF : StreamReader.Framing.JSON_LINES);
        return new Stream(response, reader, (ConnectResult) reader.next(r -> r.id() == 1).result(), type);
    }

    private Stream openSse() throws Exception {
        String connect = new String(commands(ProtocolType.JSON, connectCommand()), StandardCharsets.UTF_8);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(SseConnectionEndpoint.PATH
                + "?cf_connect=" + URLEncoder.encode(connect, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        StreamReader reader = new StreamReader(response.body(), StreamReader.Framing.SSE);
        return new Stream(response, reader, (ConnectResult) reader.next(r -> r.id() == 1).result(), ProtocolType.JSON);
    }

    private HttpResponse<String> emulate(ProtocolType format, String node, String session, byte[] data)
            throws Exception {
        return postEmulation(format, EmulationRequestCodec.encode(format, new EmulationRequest(node, session, data)));
    }

    private HttpResponse<String> postEmulation(ProtocolType format, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(EmulationEndpoint.PATH))
                .header("Content-Type", contentType(format))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(Stream stream, Command... commands) throws Exception {
        return emulate(stream.type(), stream.connect().node(), stream.connect().session(),
                commands(stream.type(), commands));
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static Publication publication(Reply reply) {
        return reply.result() instanceof Push p && p.body() instanceof Publication pub ? pub : null;
    }

    /** Subscribe, server and client publications, presence and history over one emulated connection. */
    private void runsTheProtocol(Stream stream) throws Exception {
        ConnectResult connected = stream.connect();
        assertThat(connected.client()).isNotEmpty();
        assertThat(connected.session()).as("session id, separate from the client id")
                .isNotEmpty().isNotEqualTo(connected.client());
        assertThat(connected.node()).isEqualTo(server.node().id());

        assertThat(send(stream, new Command(2, SubscribeRequest.of("news"))).statusCode()).isEqualTo(204);
        assertThat(stream.reader().next(r -> r.id() == 2).result()).isInstanceOf(SubscribeResult.class);

        server.node().publish("news", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "", Map.of());
        Publication fromServer = publication(stream.reader().next(r -> publication(r) != null));
        assertThat(text(fromServer.data())).isEqualTo("{\"n\":1}");
        assertThat(fromServer.offset()).isEqualTo(1);

        // Several commands in one request, as the SDK batches them: replies come in order.
        assertThat(send(stream,
                new Command(3, new PublishRequest("news", "{\"n\":2}".getBytes(StandardCharsets.UTF_8))),
                new Command(4, new PresenceRequest("news")),
                new Command(5, new HistoryRequest("news", 10, null, false))).statusCode()).isEqualTo(204);
        List<Reply> seen = new ArrayList<>();
        while (seen.stream().filter(r -> r.id() >= 3).count() < 3 || seen.stream().noneMatch(r -> publication(r) != null)) {
            seen.add(stream.reader().next());
        }
        List<Reply> replies = seen.stream().filter(r -> r.id() >= 3).toList();
        assertThat(replies).extracting(Reply::id).containsExactly(3, 4, 5);
        assertThat(replies.get(0).result()).isInstanceOf(PublishResult.class);
        assertThat(((PresenceResult) replies.get(1).result()).presence()).containsKey(connected.client());
        HistoryResult history = (HistoryResult) replies.get(2).result();
        assertThat(history.publications()).extracting(p -> text(p.data())).containsExactly("{\"n\":1}", "{\"n\":2}");
        Publication own = seen.stream().map(EmulationTransportsTest::publication).filter(p -> p != null)
                .findFirst().orElseThrow();
        assertThat(text(own.data())).isEqualTo("{\"n\":2}");
        assertThat(own.info().client()).isEqualTo(connected.client());
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void httpStreamCarriesTheWholeProtocol(ProtocolType type) throws Exception {
        start();
        Stream stream = openHttpStream(type);
        var headers = stream.response().headers();
        assertThat(headers.firstValue("content-type")).contains(
                type == ProtocolType.PROTOBUF ? "application/octet-stream" : "application/x-ndjson");
        assertThat(headers.firstValue("cache-control").orElseThrow()).contains("no-cache", "no-store");
        assertThat(headers.firstValue("x-accel-buffering")).contains("no");
        assertThat(headers.firstValue("transfer-encoding")).contains("chunked");
        assertThat(headers.firstValue("connection")).as("never reused after the stream").contains("close");
        runsTheProtocol(stream);
        stream.reader().close();
    }

    @Test
    void sseCarriesTheWholeProtocolAsDataEvents() throws Exception {
        start();
        Stream stream = openSse();
        var headers = stream.response().headers();
        assertThat(headers.firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(headers.firstValue("cache-control").orElseThrow()).contains("no-cache");
        assertThat(headers.firstValue("x-accel-buffering")).contains("no");
        runsTheProtocol(stream);
        assertThat(stream.reader().lines.stream().filter(l -> !l.isEmpty()))
                .allSatisfy(l -> assertThat(l).startsWith("data: {"));
        stream.reader().close();
    }

    @Test
    void sseAcceptsTheConnectCommandAsPostBody() throws Exception {
        start();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(SseConnectionEndpoint.PATH))
                .POST(HttpRequest.BodyPublishers.ofByteArray(commands(ProtocolType.JSON, connectCommand()))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (StreamReader reader = new StreamReader(response.body(), StreamReader.Framing.SSE)) {
            assertThat(reader.next(r -> r.id() == 1).result()).isInstanceOf(ConnectResult.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void serverDisconnectIsPushedAndEndsTheStream(ProtocolType type) throws Exception {
        start();
        Stream stream = openHttpStream(type);
        ClientSession session = server.node().internalsForTests().hub().member(stream.connect().client());
        session.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect());

        List<Reply> rest = stream.reader().rest();
        assertThat(rest).isNotEmpty();
        Reply last = rest.getLast();
        assertThat(last.result()).isInstanceOf(Push.class);
        assertThat(((Push) last.result()).body()).isEqualTo(new Disconnect(3011, "force reconnect", true));

        HttpResponse<String> late = send(stream, new Command(2, SubscribeRequest.of("news")));
        assertThat(late.statusCode()).as("the session is gone").isEqualTo(404);
        assertThat(JSON.readTree(late.body()).path("error").path("message").asText()).contains("unknown session");
    }

    @Test
    void aReaderThatStopsReadingIsDisconnectedAsSlowAndToldSo() throws Exception {
        start(ClientOptions.builder().queueMaxSize(64 * 1024), EmulationConfig.enabled(), List.of());
        byte[] connect = commands(ProtocolType.JSON, connectCommand());
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8 * 1024); // a small window: the server's buffers fill sooner
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + HttpStreamEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + connect.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(connect);
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readUntil(in, Pattern.compile("\"node\":\"([^\"]+)\""));
            Matcher session = Pattern.compile("\"session\":\"([^\"]+)\"").matcher(head);
            Matcher node = Pattern.compile("\"node\":\"([^\"]+)\"").matcher(head);
            Matcher client = Pattern.compile("\"client\":\"([^\"]+)\"").matcher(head);
            assertThat(session.find() && node.find() && client.find()).as(head).isTrue();
            assertThat(emulate(ProtocolType.JSON, node.group(1), session.group(1),
                    commands(ProtocolType.JSON, new Command(2, SubscribeRequest.of("firehose")))).statusCode())
                    .isEqualTo(204);
            readUntil(in, Pattern.compile("\"id\":2"));

            // Stop reading. Publications pile up in the socket buffers, then in the bounded queue.
            byte[] big = ("\"" + "x".repeat(32 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 4000 && server.node().internalsForTests().hub().member(client.group(1)) != null; i++) {
                server.node().publish("firehose", big, "", Map.of());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.node().internalsForTests().hub().member(client.group(1)) == null);

            // Reading again, the client gets what was queued, then the reason, then the end of the body.
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rest).contains("{\"push\":{\"disconnect\":{\"code\":3008,\"reason\":\"slow\",\"reconnect\":true}}}\n");
            assertThat(rest).endsWith("\r\n0\r\n\r\n");
        }
    }

    @Test
    void pingsGoDownTheStreamAndPongsComeBackThroughEmulation() throws Exception {
        start(ClientOptions.builder().pingInterval(Duration.ofMillis(600)).pongTimeout(Duration.ofMillis(400)),
                EmulationConfig.enabled(), List.of());
        Stream stream = openSse();
        assertThat(stream.connect().ping()).as("ping interval, whole seconds").isZero();
        assertThat(stream.connect().pong()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(stream.reader().next()).isEqualTo(Reply.PING);
            assertThat(emulate(ProtocolType.JSON, stream.connect().node(), stream.connect().session(),
                    "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        }
        // No answer to the next ping: the session ends with "no pong", which the client reads before the end.
        List<Reply> rest = stream.reader().rest();
        assertThat(((Push) rest.getLast().result()).body()).isEqualTo(DisconnectCode.NO_PONG.disconnect());
    }

    @Test
    void emulationRefusesWhatItCannotDeliverWithJsonErrors() throws Exception {
        start();
        Stream stream = openHttpStream(ProtocolType.JSON);
        String node = stream.connect().node();
        String session = stream.connect().session();
        byte[] ping = "{}".getBytes(StandardCharsets.UTF_8);

        assertError(emulate(ProtocolType.JSON, node, "no-such-session", ping), 404, "unknown session");
        assertError(emulate(ProtocolType.JSON, node, stream.connect().client(), ping), 404, "unknown session");
        assertError(emulate(ProtocolType.JSON, "no-such-node", session, ping), 404, "unknown node");
        assertError(postEmulation(ProtocolType.JSON, "{not json".getBytes(StandardCharsets.UTF_8)), 400,
                "malformed JSON emulation request");
        assertError(postEmulation(ProtocolType.JSON, "{\"session\":\"s\",\"node\":\"n\",\"data\":{}}"
                .getBytes(StandardCharsets.UTF_8)), 400, "must be a string");
        assertError(postEmulation(ProtocolType.PROTOBUF, new byte[] {0x0a, 0x05, 'a'}), 400,
                "malformed Protobuf emulation request");
        assertError(emulate(ProtocolType.JSON, node, "", ping), 400, "session and node are required");
        assertError(emulate(ProtocolType.PROTOBUF, node, session, commands(ProtocolType.PROTOBUF,
                new Command(2, SubscribeRequest.of("news")))), 400, "other protocol");
        byte[] huge = new byte[EmulationConfig.DEFAULT_MAX_REQUEST_BODY_SIZE + 1];
        Arrays.fill(huge, (byte) ' ');
        assertError(postEmulation(ProtocolType.JSON, huge), 413, "emulation.max_request_body_size");
        assertThat(http.send(HttpRequest.newBuilder(uri(EmulationEndpoint.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

        // None of that touched the session.
        assertThat(send(stream, new Command(2, SubscribeRequest.of("news"))).statusCode()).isEqualTo(204);
        assertThat(stream.reader().next(r -> r.id() == 2).result()).isInstanceOf(SubscribeResult.class);
        stream.reader().close();
    }

    @Test
    void streamsRefuseBadConnectRequestsBeforeOpening() throws Exception {
        start();
        assertError(postStream("application/json", ""), 400, "no connect command");
        assertError(postStream("application/json", "{\"id\":1,\"connect\":"), 400, "malformed connect command");
        assertError(postStream("application/json", "{\"id\":1,\"subscribe\":{\"channel\":\"a\"}}"), 400,
                "the first command must be connect");
        assertError(postStream("application/octet-stream", "{\"id\":1,\"connect\":{}}"), 400,
                "malformed connect command");
        assertError(postStream("application/json", " ".repeat(EmulationConfig.DEFAULT_MAX_REQUEST_BODY_SIZE + 1)),
                413, "http_stream.max_request_body_size");

        assertError(getSse(""), 400, "cf_connect");
        assertError(getSse("?cf_connect=" + URLEncoder.encode("{\"id\":1,\"connect\"", StandardCharsets.UTF_8)),
                400, "malformed connect command");
        assertError(getSse("?cf_connect=%20%20"), 400, "no connect command");
        assertThat(server.node().connectionCount()).isZero();
    }

    @Test
    void sseConnectCommandsOverTheLimitAre413() throws Exception {
        start(ClientOptions.builder(), new EmulationConfig(true, 100, true, 100, 100), List.of());
        String connect = "{\"id\":1,\"connect\":{\"name\":\"" + "x".repeat(100) + "\"}}";
        assertError(getSse("?cf_connect=" + URLEncoder.encode(connect, StandardCharsets.UTF_8)), 413,
                "sse.max_request_body_size");
        assertError(http.send(HttpRequest.newBuilder(uri(SseConnectionEndpoint.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(connect)).build(), HttpResponse.BodyHandlers.ofString()),
                413, "sse.max_request_body_size");
        assertError(postStream("application/json", connect), 413, "http_stream.max_request_body_size");
    }

    private HttpResponse<String> postStream(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(HttpStreamEndpoint.PATH)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getSse(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(SseConnectionEndpoint.PATH + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("message").asText()).contains(message);
    }

    @Test
    void browsersFromAllowedOriginsGetCorsHeadersOthersAreRefused() throws Exception {
        start(ClientOptions.builder(), EmulationConfig.enabled(), List.of("https://app.example.com"));
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri(EmulationEndpoint.PATH))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        assertThat(preflight.headers().firstValue("access-control-allow-credentials")).contains("true");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).contains("OPTIONS, POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("content-type");

        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri(HttpStreamEndpoint.PATH))
                .header("Origin", "https://app.example.com").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(commands(ProtocolType.JSON, connectCommand()))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        stream.body().close();

        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(uri(SseConnectionEndpoint.PATH + "?cf_connect=x"))
                .header("Origin", "https://evil.example.net").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(foreign, 403, "client.allowed_origins");
        assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void emulationIsOffUnlessATransportIsEnabled() throws Exception {
        start(ClientOptions.builder(), EmulationConfig.DEFAULT, List.of());
        for (String path : List.of(HttpStreamEndpoint.PATH, SseConnectionEndpoint.PATH, EmulationEndpoint.PATH)) {
            assertThat(http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
        }
    }

    /** Reads raw bytes until {@code pattern} is found in them; returns what was read. */
    private static String readUntil(InputStream in, Pattern pattern) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!pattern.matcher(seen).find()) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("stream ended before " + pattern + ": " + seen);
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return seen.toString();
    }
}
