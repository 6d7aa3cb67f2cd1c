package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.core.client.ClientSession;
import dev.weft.core.hub.Hub;
import dev.weft.server.config.DocsConfig;
import dev.weft.server.config.EmulationConfig;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.UniConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: malformed input on every endpoint of one server — truncated and garbage JSON, wrong types, huge
 * numbers, invalid UTF-8, binary where text is expected and the reverse, Protobuf with lying lengths,
 * WebSocket frames RFC 6455 forbids, bad {@code cf_connect} and {@code Last-Event-ID}, Yjs and Hocuspocus
 * frames that do not decode, API and emulation bodies of the wrong shape. Defence: each is refused with the
 * code docs/protocol.md gives it — never a hang, never a 5xx — while a well-behaved client connected all along
 * receives every publication, and afterwards the node holds only the live session and no more file
 * descriptors than before. The table of input × endpoint → answer and the figures are printed.
 */
class EveryEndpointMalformedInputTest {
    private static final String KEY = "malformed-input-api-key";
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final Duration SETTLED = Duration.ofMillis(1500);
    private static final byte[] INVALID_UTF8 = {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
    private static final String PROTOBUF = "centrifuge-protobuf";
    private static final String CLOSE_D = "open, answered \"d\" Close \"malformed message\"";

    private record Row(String endpoint, String input, String expected, String observed, long millis) {
    }

    private final List<Row> table = new ArrayList<>();
    private WeftServer server;
    private TestWebSocket steady;
    private int published;

    @AfterEach
    void stop() {
        if (steady != null) {
            steady.close();
        }
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void everyEndpointRefusesMalformedInputWithItsCodeAndLosesNothing() throws Exception {
        server = TestServers.start(ClientOptions.builder(), c -> c
                .withHttpApi(new HttpApiConfig(KEY, false, ""))
                .withEmulation(EmulationConfig.enabled())
                .withUni(UniConfig.DEFAULT
                        .withSse(UniConfig.DEFAULT.sse().withEnabled(true))
                        .withHttpStream(UniConfig.DEFAULT.httpStream().withEnabled(true))
                        .withWebsocket(UniConfig.DEFAULT.websocket().withEnabled(true)))
                .withDocs(DocsConfig.DEFAULT.withStore("memory").withUnloadGrace(Duration.ofHours(1))));
        steady = TestWebSocket.connect(server.port());
        steady.send("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"steady\"}}");
        awaitReply(steady, 2);
        Hub<ClientSession> hub = server.node().internalsForTests().hub();
        int sessionsBefore = hub.memberCount();
        int connectionsBefore = server.openConnections();
        int subscriptionsBefore = subscriptions();
        long fdsBefore = openFileDescriptors();
        long socketsBefore = openSockets();
        long heapBefore = usedHeapAfterGc();
        LogCapture log = LogCapture.all();

        clientProtocolJson();
        clientProtocolProtobuf();
        webSocketFraming();
        uniTransports();
        emulation();
        plainSse();
        yWebsocket();
        hocuspocus();
        serverApi();
        health();

        List<Integer> received = publicationsReceived(steady, published);
        log.close();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.memberCount() == sessionsBefore
                    && subscriptions() == subscriptionsBefore && server.openConnections() == connectionsBefore
                    && openSockets() == socketsBefore);
        } catch (ConditionTimeoutException e) {
            // what is left over is printed and asserted below
        }
        long heapAfter = usedHeapAfterGc();
        printTable();
        System.out.printf("EveryEndpointMalformedInputTest: %d inputs; steady client received %d/%d publications; sessions %d -> %d,"
                        + " subscriptions %d -> %d, connections %d -> %d, open file descriptors %d -> %d"
                        + " (sockets %d -> %d), heap after GC %d KiB -> %d KiB; %d log lines, %d at WARN or above%n",
                table.size(), received.size(), published, sessionsBefore, hub.memberCount(), subscriptionsBefore,
                subscriptions(), connectionsBefore, server.openConnections(), fdsBefore, openFileDescriptors(),
                socketsBefore, openSockets(), heapBefore / 1024, heapAfter / 1024, log.count(),
                log.warnings().size());

        assertThat(table).allSatisfy(row -> assertThat(row.observed())
                .as("%s ← %s", row.endpoint(), row.input()).isEqualTo(row.expected()));
        // Each refusal is the client's doing: an INFO line at most (rate-limited), never a warning or a stack trace.
        assertThat(log.warnings()).isEmpty();
        assertThat(log.count()).as("log lines").isLessThanOrEqualTo(table.size());
        assertThat(received).as("every publication, in order").containsExactlyElementsOf(
                Stream.iterate(1, n -> n + 1).limit(published).toList());
        assertThat(hub.memberCount()).as("sessions").isEqualTo(sessionsBefore);
        assertThat(subscriptions()).as("subscriptions").isEqualTo(subscriptionsBefore);
        assertThat(server.openConnections()).as("connections").isEqualTo(connectionsBefore);
        // Sockets, not every descriptor: the JDK opens its virtual-thread pollers (epoll) the first time a virtual
        // thread waits on a socket, which RawHttpStream's reader does in the middle of the run.
        assertThat(openSockets()).as("open sockets").isEqualTo(socketsBefore);
        assertThat(http("GET", "/health", null)).isEqualTo("HTTP 200");
        assertThat(http("GET", "/ready", null)).isEqualTo("HTTP 200");
    }

    // ---- /connection/websocket, JSON ----

    private void clientProtocolJson() throws Exception {
        String ws = "/connection/websocket";
        wsText(ws, "truncated JSON", "close 3501", "{\"id\":1,\"connect\":{");
        wsText(ws, "garbage", "close 3501", "\u0000\u0001garbage");
        wsText(ws, "connect not an object", "close 3501", "{\"id\":1,\"connect\":\"x\"}");
        wsText(ws, "id a string", "close 3501", "{\"id\":\"one\",\"connect\":{}}");
        wsText(ws, "id beyond uint32", "close 3501", "{\"id\":99999999999999999999999,\"connect\":{}}");
        wsText(ws, "token a number", "close 3501", "{\"id\":1,\"connect\":{\"token\":5}}");
        wsText(ws, "command before connect", "close 3501", "{\"id\":1,\"subscribe\":{\"channel\":\"a\"}}");
        wsFrame(ws, "invalid UTF-8 in a text frame", "close 3501", 0x81, INVALID_UTF8);
        wsFrame(ws, "binary frame of garbage", "close 3501", 0x82, new byte[]{(byte) 0xff, 0x00, 0x13});
        wsAfterConnect(ws, "subscribe, channel a number", "close 3501",
                "{\"id\":2,\"subscribe\":{\"channel\":5}}");
        wsAfterConnect(ws, "history, limit 1e400", "close 3501",
                "{\"id\":2,\"history\":{\"channel\":\"a\",\"limit\":1e400}}");
        wsAfterConnect(ws, "subscribe, offset beyond uint64", "close 3501", "{\"id\":2,\"subscribe\":"
                + "{\"channel\":\"a\",\"recover\":true,\"epoch\":\"e\",\"offset\":99999999999999999999999}}");
        wsAfterConnect(ws, "publish, data nested 10 000 deep", "close 3501", "{\"id\":2,\"publish\":"
                + "{\"channel\":\"a\",\"data\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}");
        probe(ws, "not an upgrade", "HTTP 400", () -> http("GET", ws, null));
        wsAfterConnect(ws, "unknown method", "reply error 104", "{\"id\":2,\"frobnicate\":{}}");
    }

    // ---- /connection/websocket, Protobuf ----

    private void clientProtocolProtobuf() throws Exception {
        wsProtobuf("length prefix beyond the frame", "close 3501", new byte[]{0x05, 0x01});
        wsProtobuf("varint of 11 bytes", "close 3501", HexFormat.of().parseHex("ffffffffffffffffffffff"));
        wsProtobuf("not a Command", "close 3501", new byte[]{0x03, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    }

    // ---- RFC 6455 framing, checked before any dialect ----

    private void webSocketFraming() throws Exception {
        for (String path : List.of("/connection/websocket", "/connection/uni_websocket", "/yjs/malformed",
                "/hocuspocus")) {
            wsFrame(path, "continuation without start", "close 1002", 0x80, new byte[]{'x'});
            wsFrame(path, "ping of 126 bytes", "close 1002", 0x89, new byte[126]);
            wsFrame(path, "unknown opcode 0x3", "close 1002", 0x83, new byte[]{'x'});
            wsRaw(path, "unmasked client frame", "close 1002", new byte[]{(byte) 0x81, 0x02, '{', '}'});
            wsFrame(path, "close frame of 1 byte", "close 1002", 0x88, new byte[]{3});
            wsRaw(path, "new message inside a fragmented one", "close 1002", concat(
                    RawWebSocket.maskedFrame(0x01, new byte[]{'{'}), RawWebSocket.maskedFrame(0x82, new byte[]{1})));
            wsFrame(path, "close code 999", "close 1002", 0x88, new byte[]{0x03, (byte) 0xe7});
        }
    }

    // ---- uni_websocket, uni_sse, uni_http_stream ----

    private void uniTransports() throws Exception {
        String bad = "cf_connect=" + urlEncode("{\"token\":");
        upgrade("/connection/uni_websocket?" + bad, "cf_connect truncated JSON", "HTTP 400");
        upgrade("/connection/uni_websocket?cf_connect=" + urlEncode("[1,2]"), "cf_connect an array", "HTTP 400");
        wsText("/connection/uni_websocket", "first message garbage", "close 3501", "{\"subs\":");
        wsFrame("/connection/uni_websocket", "first message binary garbage", "close 3501", 0x82,
                new byte[]{(byte) 0xff, 0});
        probe("/connection/uni_sse", "cf_connect truncated JSON", "HTTP 400",
                () -> http("GET", "/connection/uni_sse?" + bad, null));
        probe("/connection/uni_sse", "subs a string", "HTTP 400", () -> http("GET",
                "/connection/uni_sse?cf_connect=" + urlEncode("{\"subs\":\"news\"}"), null));
        probe("/connection/uni_sse", "POST body over 64 KiB", "HTTP 413",
                () -> http("POST", "/connection/uni_sse", new byte[70_000]));
        probe("/connection/uni_sse", "POST invalid UTF-8", "HTTP 400",
                () -> http("POST", "/connection/uni_sse", INVALID_UTF8));
        probe("/connection/uni_http_stream", "body garbage", "HTTP 400",
                () -> http("POST", "/connection/uni_http_stream", "\u0000garbage".getBytes()));
        probe("/connection/uni_http_stream", "no body (= empty request)", "HTTP 200",
                () -> http("POST", "/connection/uni_http_stream", new byte[0]));
        probe("/connection/uni_http_stream", "body over 64 KiB", "HTTP 413",
                () -> http("POST", "/connection/uni_http_stream", new byte[70_000]));
    }

    // ---- http_stream, sse emulation, /emulation ----

    private void emulation() throws Exception {
        probe("/connection/http_stream", "body garbage", "HTTP 400",
                () -> http("POST", "/connection/http_stream", "{\"id\":1,\"connect\"".getBytes()));
        probe("/connection/http_stream", "first command not connect", "HTTP 400", () -> http("POST",
                "/connection/http_stream", "{\"id\":1,\"subscribe\":{\"channel\":\"a\"}}".getBytes()));
        probe("/connection/http_stream", "Protobuf length beyond body", "HTTP 400", () -> http("POST",
                "/connection/http_stream", new byte[]{0x7f, 0x01}, "Content-Type", "application/octet-stream"));
        probe("/connection/http_stream", "connect token a number", "HTTP 400", () -> http("POST",
                "/connection/http_stream", "{\"id\":1,\"connect\":{\"token\":5}}".getBytes()));
        probe("/connection/sse", "no cf_connect", "HTTP 400", () -> http("GET", "/connection/sse", null));
        probe("/connection/sse", "cf_connect invalid UTF-8", "HTTP 400",
                () -> http("GET", "/connection/sse?cf_connect=%7B%22id%22%3A%c3%28", null));
        probe("/connection/sse", "cf_connect garbage", "HTTP 400",
                () -> http("GET", "/connection/sse?cf_connect=" + urlEncode("%%%"), null));
        probe("/emulation", "body garbage", "HTTP 400", () -> http("POST", "/emulation", "{\"node\":".getBytes()));
        probe("/emulation", "no session", "HTTP 400",
                () -> http("POST", "/emulation", "{\"node\":\"n\",\"data\":\"{}\"}".getBytes()));
        probe("/emulation", "data not a string", "HTTP 400", () -> http("POST", "/emulation",
                "{\"node\":\"n\",\"session\":\"s\",\"data\":{\"id\":1}}".getBytes()));
        probe("/emulation", "unknown session", "HTTP 404", () -> http("POST", "/emulation",
                ("{\"node\":\"" + server.node().id() + "\",\"session\":\"nope\",\"data\":\"{}\"}").getBytes()));
        probe("/emulation", "Protobuf garbage", "HTTP 400", () -> http("POST", "/emulation",
                new byte[]{0x0a, 0x7f, 0x01}, "Content-Type", "application/octet-stream"));
        probe("/emulation", "body over 64 KiB", "HTTP 413", () -> http("POST", "/emulation", new byte[70_000]));
        probe("/emulation", "GET", "HTTP 405", () -> http("GET", "/emulation", null));
        probe("/emulation", "Protobuf request, JSON session", "HTTP 400", () -> withEmulatedSession((node, session) ->
                http("POST", "/emulation", new byte[]{0x0a, (byte) node.length(), 'x'}, "Content-Type",
                        "application/octet-stream")));
        probe("/emulation", "data garbage, live session", "HTTP 204, stream: disconnect 3501",
                () -> withEmulatedSession((node, session) -> http("POST", "/emulation", ("{\"node\":\"" + node
                        + "\",\"session\":\"" + session + "\",\"data\":\"{\\\"id\\\":\"}").getBytes())));
    }

    private interface EmulatedCommand {
        String send(String node, String session) throws Exception;
    }

    /**
     * Opens an http_stream session, sends {@code command} through {@code /emulation}, and reports its answer
     * and — when it was accepted — how the session's stream ended.
     */
    private String withEmulatedSession(EmulatedCommand command) throws Exception {
        try (RawHttpStream stream = RawHttpStream.open(server.port(), "POST", "/connection/http_stream",
                "{\"id\":1,\"connect\":{}}")) {
            JsonNode connect = TestServers.json(stream.nextLine()).path("connect");
            String answer = command.send(connect.path("node").asText(), connect.path("session").asText());
            if (!answer.equals("HTTP 204")) {
                return answer;
            }
            List<String> rest = stream.restUntilEnd(ANSWER);
            String last = rest.isEmpty() ? "{}" : rest.getLast();
            JsonNode disconnect = TestServers.json(last).path("push").path("disconnect");
            return answer + ", stream: " + (disconnect.isMissingNode() ? "still open" : "disconnect "
                    + disconnect.path("code").asInt());
        }
    }

    // ---- /sse ----

    private void plainSse() throws Exception {
        probe("/sse", "no channel", "HTTP 400", () -> http("GET", "/sse", null));
        probe("/sse", "Last-Event-ID garbage", "HTTP 400",
                () -> http("GET", "/sse/news", null, "Last-Event-ID", "\u0001garbage"));
        probe("/sse", "Last-Event-ID offset beyond uint64", "HTTP 400",
                () -> http("GET", "/sse/news", null, "Last-Event-ID", "news:ep:999999999999999999999999"));
        probe("/sse", "lastEventId garbage", "HTTP 400", () -> http("GET", "/sse/news?lastEventId=x", null));
        probe("/sse", "Last-Event-ID for another channel", "HTTP 400",
                () -> http("GET", "/sse/news", null, "Last-Event-ID", "other:ep:1"));
        probe("/sse", "POST", "HTTP 405", () -> http("POST", "/sse/news", "{}".getBytes()));
    }

    // ---- /yjs/<room> ----

    private void yWebsocket() throws Exception {
        String path = "/yjs/malformed";
        wsFrame(path, "sync update, length beyond frame", "close 1007", 0x82, new byte[]{0, 2, 0x20, 1});
        wsFrame(path, "varint of 11 bytes", "close 1007", 0x82, HexFormat.of().parseHex("00ffffffffffffffffffffff"));
        wsFrame(path, "unknown sync sub-type", "close 1007", 0x82, new byte[]{0, 9, 0});
        wsFrame(path, "unknown message type", "close 1007", 0x82, new byte[]{42});
        wsFrame(path, "empty frame", "close 1007", 0x82, new byte[0]);
        wsFrame(path, "update that is not Yjs", "close 1007", 0x82, new byte[]{0, 2, 3, (byte) 0xff, 1, 2});
        wsFrame(path, "text frame", "close 1007", 0x81, "{\"sync\":1}".getBytes());
        byte[] state = "{not json".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream awareness = new ByteArrayOutputStream();
        awareness.writeBytes(new byte[]{1, (byte) (4 + state.length), 1, 7, 1, (byte) state.length});
        awareness.writeBytes(state);
        wsFrame(path, "awareness state not JSON", "close 1007", 0x82, awareness.toByteArray());
        wsFrame(path, "awareness count 2^35, one entry", "close 1007", 0x82,
                new byte[]{1, 8, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1, 1, 1});
        probe("/yjs/", "no room", "HTTP 400", () -> {
            try (RawWebSocket refused = RawWebSocket.open(server.port(), "/yjs/")) {
                return "HTTP " + refused.status();
            }
        });
    }

    // ---- /hocuspocus ----

    private void hocuspocus() throws Exception {
        String path = "/hocuspocus";
        wsFrame(path, "address length beyond frame", "close 1007", 0x82, new byte[]{0x20, 'a'});
        // Address "", Auth: PermissionDenied "forbidden" for that address; the socket and its other documents stay.
        wsFrame(path, "no document name", "open, answered \"\" PermissionDenied \"forbidden\"", 0x82,
                new byte[]{0, 2, 0, 0});
        // A message for an authenticated document that does not decode closes that document only.
        byte[] auth = {1, 'd', 2, 0, 0};
        wsBinary(path, "after Auth, unknown message type", CLOSE_D, auth, new byte[]{1, 'd', 99});
        wsBinary(path, "after Auth, sync update not Yjs", CLOSE_D, auth, new byte[]{1, 'd', 0, 2, 2, (byte) 0xff, 7});
        wsBinary(path, "after Auth, sync length beyond frame", "close 1007", auth, new byte[]{1, 'd', 0, 2, 0x40});
        wsFrame(path, "address, no type", "close 1007", 0x82, new byte[]{1, 'd'});
        wsFrame(path, "Auth, token length 2^28", "close 1007", 0x82,
                new byte[]{1, 'd', 2, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1, 'x'});
        wsFrame(path, "text frame", "close 1007", 0x81, "{\"doc\":1}".getBytes());
        wsFrame(path, "empty frame", "close 1007", 0x82, new byte[0]);
    }

    // ---- /api/<method>, /api/docs/<room> ----

    private void serverApi() throws Exception {
        probe("/api/publish", "truncated JSON", "HTTP 400", () -> api("POST", "/api/publish", "{\"channel\":"));
        probe("/api/publish", "channel a number", "HTTP 400",
                () -> api("POST", "/api/publish", "{\"channel\":5,\"data\":{}}"));
        probe("/api/publish", "body an array", "HTTP 400", () -> api("POST", "/api/publish", "[]"));
        probe("/api/publish", "invalid UTF-8", "HTTP 400",
                () -> http("POST", "/api/publish", INVALID_UTF8, "X-API-Key", KEY));
        probe("/api/history", "limit 1e400", "HTTP 400",
                () -> api("POST", "/api/history", "{\"channel\":\"a\",\"limit\":1e400}"));
        probe("/api/history", "offset beyond uint64", "HTTP 400", () -> api("POST", "/api/history",
                "{\"channel\":\"a\",\"since\":{\"offset\":99999999999999999999999,\"epoch\":\"e\"}}"));
        probe("/api/publish", "trailing data", "HTTP 400", () -> api("POST", "/api/publish",
                "{\"channel\":\"a\",\"data\":{}} x"));
        probe("/api/publish", "GET", "HTTP 405", () -> api("GET", "/api/publish", null));
        probe("/api/frobnicate", "unknown method", "HTTP 404", () -> api("POST", "/api/frobnicate", "{}"));
        probe("/api/batch", "one command malformed", "HTTP 400", () -> api("POST", "/api/batch",
                "{\"commands\":[{\"publish\":{\"channel\":\"a\",\"data\":{}}},{\"publish\":{\"channel\":[]}}]}"));
        probe("/api/publish", "data nested 100 000 deep", "HTTP 400", () -> api("POST", "/api/publish",
                "{\"channel\":\"a\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        probe("/api/publish", "no data", "HTTP 200 error 107",
                () -> api("POST", "/api/publish", "{\"channel\":\"a\"}"));
        probe("/api/publish", "form body", "HTTP 400", () -> http("POST", "/api/publish",
                "channel=a&data=1".getBytes(), "X-API-Key", KEY, "Content-Type", "application/x-www-form-urlencoded"));
        probe("/api/docs/<room>", "update that is not Yjs", "HTTP 400", () -> http("POST", "/api/docs/malformed",
                new byte[]{(byte) 0xff, 1, 2}, "X-API-Key", KEY));
        probe("/api/docs/<room>", "empty body", "HTTP 400",
                () -> http("POST", "/api/docs/malformed", new byte[0], "X-API-Key", KEY));
        probe("/api/docs/<room>", "PUT", "HTTP 405",
                () -> http("PUT", "/api/docs/malformed", new byte[]{0, 0}, "X-API-Key", KEY));
        probe("/api/docs/<room>", "no room", "HTTP 404", () -> http("GET", "/api/docs/", null, "X-API-Key", KEY));
    }

    // ---- /health, /ready ----

    private void health() throws Exception {
        probe("/health", "POST with a body", "HTTP 405", () -> http("POST", "/health", "{".getBytes()));
        probe("/ready", "POST with a body", "HTTP 405", () -> http("POST", "/ready", "{".getBytes()));
        probe("/health", "query garbage", "HTTP 400", () -> http("GET", "/health?%zz=%%", null));
        probe("/health", "request line garbage", "HTTP 400", () -> raw("\u0001\u0002 garbage\r\n\r\n"));
        probe("/health", "header without colon", "HTTP 400", () -> raw("GET /health HTTP/1.1\r\nHost x\r\n\r\n"));
        // Percent-encoding that does not decode, in the path or in a query parameter an endpoint reads.
        probe("/sse/%zz", "path %zz", "HTTP 400", () -> http("GET", "/sse/%zz", null));
        probe("/api/publish%", "path ending in %", "HTTP 400", () -> api("POST", "/api/publish%", "{}"));
        probe("/sse", "channel=%zz", "HTTP 400", () -> http("GET", "/sse?channel=%zz", null));
        probe("/connection/uni_sse", "cf_connect=%e", "HTTP 400",
                () -> http("GET", "/connection/uni_sse?cf_connect=%e", null));
        probe("/yjs/<room>", "token=%zz", "HTTP 400", () -> {
            try (RawWebSocket refused = RawWebSocket.open(server.port(), "/yjs/room?token=%zz")) {
                return "HTTP " + refused.status();
            }
        });
        probe("/connection/websocket", "cf_protocol=%zz", "HTTP 400", () -> {
            try (RawWebSocket refused = RawWebSocket.open(server.port(), "/connection/websocket?cf_protocol=%zz")) {
                return "HTTP " + refused.status();
            }
        });
    }

    // ---- probes ----

    private interface Answer {
        String get() throws Exception;
    }

    /** Runs one probe, records its answer, and publishes one message the steady client must receive. */
    private void probe(String endpoint, String input, String expected, Answer answer) throws Exception {
        String observed;
        long started = System.nanoTime();
        try {
            observed = answer.get();
        } catch (SocketTimeoutException e) {
            observed = "hung";
        } catch (IOException e) {
            observed = "no answer: " + e.getMessage();
        }
        table.add(new Row(endpoint, input, expected, observed, (System.nanoTime() - started) / 1_000_000));
        publishToSteady();
    }

    private void wsText(String path, String input, String expected, String text) throws Exception {
        wsFrame(path, input, expected, 0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    private void wsFrame(String path, String input, String expected, int firstByte, byte[] payload) throws Exception {
        wsRaw(path, input, expected, RawWebSocket.maskedFrame(firstByte, payload));
    }

    private void wsRaw(String path, String input, String expected, byte[] bytes) throws Exception {
        probe(path, input, expected, () -> {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), path)) {
                ws.readTimeout(ANSWER);
                ws.sendRaw(bytes);
                return outcome(ws);
            }
        });
    }

    /** Binary frames in order; the answer to the last one counts. */
    private void wsBinary(String path, String input, String expected, byte[]... frames) throws Exception {
        probe(path, input, expected, () -> {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), path)) {
                ws.readTimeout(ANSWER);
                for (byte[] frame : frames) {
                    ws.sendFrame(0x82, frame);
                }
                return outcome(ws);
            }
        });
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void wsAfterConnect(String path, String input, String expected, String command) throws Exception {
        probe(path, input, expected, () -> {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), path)) {
                ws.readTimeout(ANSWER);
                ws.sendText("{\"id\":1,\"connect\":{}}");
                ws.readFrame();
                ws.sendText(command);
                return outcome(ws);
            }
        });
    }

    private void wsProtobuf(String input, String expected, byte[] frame) throws Exception {
        probe("/connection/websocket (Protobuf)", input, expected, () -> {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/connection/websocket",
                    "Sec-WebSocket-Protocol", PROTOBUF)) {
                ws.readTimeout(ANSWER);
                ws.sendFrame(0x82, frame);
                return outcome(ws);
            }
        });
    }

    private void upgrade(String target, String input, String expected) throws Exception {
        probe("/connection/uni_websocket", input, expected, () -> {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target)) {
                return ws.status() == 101 ? outcome(ws) : "HTTP " + ws.status();
            }
        });
    }

    /**
     * What the server did after the input: its close code, a Centrifugo reply error, or how the connection
     * ended; "open, answered …" with the last frame when it said something and then waited. Frames before the
     * close (a Yjs server's SyncStep1, a disconnect push) are skipped.
     */
    private static String outcome(RawWebSocket ws) throws IOException {
        ws.readTimeout(ANSWER);
        RawWebSocket.Frame last = null;
        try {
            while (true) {
                RawWebSocket.Frame frame = ws.readFrame();
                if (frame.opcode() == 8) {
                    return frame.payload().length >= 2 ? "close " + frame.closeCode() : "close (no code)";
                }
                if (frame.opcode() == 1) {
                    Matcher error = Pattern.compile("\"error\":\\{\"code\":(\\d+)").matcher(frame.text());
                    if (error.find()) {
                        return "reply error " + error.group(1);
                    }
                }
                last = frame;
                // Said something: a close, if one comes, follows at once; this keeps "stays open" probes short.
                ws.readTimeout(SETTLED);
            }
        } catch (EOFException | SocketException e) {
            return "connection ended without close frame";
        } catch (SocketTimeoutException e) {
            if (last == null) {
                throw e;
            }
            return "open, answered " + (last.opcode() == 1 ? last.text() : hocuspocusMessage(last.payload()));
        }
    }

    /**
     * A Hocuspocus server message as {@code "<address>" <type> [<reason>]}: Auth (2) PermissionDenied (1) and
     * Close (7) carry a reason, of which the part before any detail in parentheses is shown.
     */
    private static String hocuspocusMessage(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message);
        String address = new String(message, 1, in.get(), StandardCharsets.UTF_8);
        in.position(1 + address.length());
        int type = in.get();
        String name = switch (type) {
            case 2 -> in.get() == 1 ? "PermissionDenied" : "Authenticated";
            case 7 -> "Close";
            default -> "type " + type;
        };
        String reason = in.hasRemaining() ? new String(message, in.position() + 1, in.get(in.position()),
                StandardCharsets.UTF_8).split("[:(]")[0].strip() : "";
        return "\"" + address + "\" " + name + (reason.isEmpty() ? "" : " \"" + reason + "\"");
    }

    /** One HTTP/1.1 request on a fresh connection: "HTTP <status>", or "hung" when no status came in time. */
    private String http(String method, String target, byte[] body, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(Math.toIntExact(ANSWER.toMillis()));
            StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                try {
                    socket.getOutputStream().write(body);
                } catch (SocketException e) {
                    // refused before the body was read (413): the status line is still there to read
                }
            }
            InputStream in = socket.getInputStream();
            String status = readLine(in).split(" ")[1];
            long length = -1;
            for (String line; !(line = readLine(in)).isEmpty(); ) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            // A 200 carrying an error in its body (the API's default error mode) is an answer of its own.
            if (status.equals("200") && length > 0) {
                Matcher error = Pattern.compile("\"error\":\\{\"code\":(\\d+)")
                        .matcher(new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
                if (error.find()) {
                    return "HTTP 200 error " + error.group(1);
                }
            }
            return "HTTP " + status;
        }
    }

    /** Bytes as they are, then the status of the answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(Math.toIntExact(ANSWER.toMillis()));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return "HTTP " + readLine(socket.getInputStream()).split(" ")[1];
        }
    }

    private String api(String method, String target, String body) throws IOException {
        return http(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "X-API-Key", KEY);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed before a status line");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private void publishToSteady() throws IOException {
        published++;
        assertThat(api("POST", "/api/publish", "{\"channel\":\"steady\",\"data\":{\"n\":" + published + "}}"))
                .isEqualTo("HTTP 200");
    }

    /** The {@code n} of each publication the steady client received, until {@code count} arrived. */
    private static List<Integer> publicationsReceived(TestWebSocket ws, int count) throws Exception {
        List<Integer> received = new ArrayList<>();
        while (received.size() < count) {
            String frame = ws.next();
            if (frame == null) {
                break;
            }
            for (JsonNode line : TestServers.lines(frame)) {
                JsonNode pub = line.path("push").path("pub");
                if (!pub.isMissingNode()) {
                    received.add(pub.path("data").path("n").asInt());
                }
            }
        }
        return received;
    }

    private static void awaitReply(TestWebSocket ws, int id) throws Exception {
        while (true) {
            for (JsonNode line : TestServers.lines(ws.next())) {
                if (line.path("id").asInt() == id) {
                    assertThat(line.has("error")).as("%s", line).isFalse();
                    return;
                }
            }
        }
    }

    private void printTable() {
        String format = "EveryEndpointMalformedInputTest: %-34s %-38s %-52s %6s %s%n";
        System.out.printf(format, "endpoint", "input", "answer", "ms", "");
        for (Row row : table) {
            System.out.printf(format, row.endpoint(), row.input(), row.observed(), row.millis(),
                    row.observed().equals(row.expected()) ? "" : "EXPECTED " + row.expected());
        }
    }

    private int subscriptions() {
        Hub<ClientSession> hub = server.node().internalsForTests().hub();
        return hub.channels().stream().mapToInt(hub::subscriberCount).sum();
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Open descriptors that are sockets (both ends of every test connection live in this JVM). */
    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
