package dev.weft.core.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.protocol.ProtocolType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proxy protocol as Centrifugo documents it (centrifugal.dev docs/server/proxy.md): the request each event
 * sends, and the documented answers accepted as they are written there. The endpoint here is the SPI's
 * other side — bytes in, bytes out; the HTTP transport is tested against a real backend in weft-server.
 */
class ClientProxiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProxyCaller CALLER = new ProxyCaller("9336a229-2400-4ebc-8c50-0a643d22e8a0", "websocket",
            ProtocolType.JSON, "56", "{\"plan\":\"pro\"}".getBytes(StandardCharsets.UTF_8),
            Map.of("cookie", "session=abc", "authorization", "Bearer transport"),
            Map.of("authorization", "Bearer emulated", "x-tenant", "t1"));

    private final List<String> sent = new ArrayList<>();
    private final List<Map<String, String>> sentHeaders = new ArrayList<>();
    private String answer = "{\"result\":{}}";

    private ProxyOptions options(boolean meta, boolean binary) {
        return new ProxyOptions("test", URI.create("http://backend/"), Duration.ofSeconds(1),
                List.of("cookie", "authorization"), List.of("authorization", "x-tenant"), Map.of("x-static", "1"),
                meta, binary);
    }

    private ClientProxies proxies(ProxyOptions o) {
        var everywhere = Map.of("", o);
        return new ClientProxies(new ProxyConfig(o, o, everywhere, everywhere, everywhere, everywhere, ":"),
                options -> (event, body, headers) -> {
                    sent.add(new String(body, StandardCharsets.UTF_8));
                    sentHeaders.add(headers);
                    return answer.getBytes(StandardCharsets.UTF_8);
                });
    }

    private JsonNode lastRequest() throws Exception {
        return JSON.readTree(sent.getLast());
    }

    @Test
    void connectAcceptsTheDocumentedAnswerAndSendsTheDocumentedFields() throws Exception {
        answer = "{\n  \"result\": {\n    \"user\": \"56\"\n  }\n}";
        var connected = proxies(options(false, false)).connect(CALLER, null, "", "", List.of());

        assertThat(connected.token().user()).isEqualTo("56");
        assertThat(connected.token().expireAt()).isZero();
        assertThat(connected.data()).isNull();
        assertThat(sent.getLast()).isEqualTo("{\"client\":\"9336a229-2400-4ebc-8c50-0a643d22e8a0\","
                + "\"transport\":\"websocket\",\"protocol\":\"json\",\"encoding\":\"json\"}");
    }

    @Test
    void connectResultCarriesInfoDataChannelsSubsExpiryAndMetaByteForByte() throws Exception {
        answer = "{\"result\":{\"user\":\"56\",\"expire_at\":1565436268,\"info\":{\"n\":1.10},"
                + "\"b64data\":\"AAEC\",\"channels\":[\"news\",\"chat:a\"],"
                + "\"subs\":{\"chat:a\":{\"info\":{\"role\":\"mod\"},\"data\":[1,2],"
                + "\"override\":{\"presence\":{\"value\":true},\"join_leave\":{}}}},\"meta\":{\"k\":0.10}}}";
        var connected = proxies(options(false, false)).connect(CALLER, "{\"hello\":1e2}".getBytes(), "web", "1.0",
                List.of("news"));

        var token = connected.token();
        assertThat(token.expireAt()).isEqualTo(1565436268L);
        assertThat(new String(token.info())).isEqualTo("{\"n\":1.10}");
        assertThat(new String(token.meta())).isEqualTo("{\"k\":0.10}");
        assertThat(connected.data()).containsExactly(0, 1, 2);
        assertThat(token.subs().keySet()).containsExactly("chat:a", "news");
        var chat = token.subs().get("chat:a");
        assertThat(new String(chat.info())).isEqualTo("{\"role\":\"mod\"}");
        assertThat(new String(chat.data())).isEqualTo("[1,2]");
        assertThat(chat.override().presence()).isTrue();
        assertThat(chat.override().joinLeave()).isFalse();
        assertThat(chat.override().forceRecovery()).isNull();
        assertThat(sent.getLast()).contains("\"name\":\"web\"", "\"version\":\"1.0\"", "\"data\":{\"hello\":1e2}",
                "\"channels\":[\"news\"]");
    }

    @Test
    void refreshAcceptsTheDocumentedAnswer() throws Exception {
        answer = "{\"result\":{\"expire_at\":1565436268}}";
        var refreshed = proxies(options(false, false)).refresh(CALLER);

        assertThat(refreshed.expired()).isFalse();
        assertThat(refreshed.expireAt()).isEqualTo(1565436268L);
        JsonNode request = lastRequest();
        assertThat(request.path("user").asText()).isEqualTo("56");
        assertThat(request.has("meta")).isFalse();
    }

    @Test
    void subscribeAcceptsTheDocumentedAnswersAndRefusal() throws Exception {
        var proxies = proxies(options(false, false));
        var via = proxies.subscribeProxy("");
        var granted = proxies.subscribe(via, CALLER, "chat:index", "", null);
        assertThat(granted.grant().info()).isNull();
        assertThat(lastRequest().path("channel").asText()).isEqualTo("chat:index");

        answer = "{\n  \"error\": {\n    \"code\": 403,\n    \"message\": \"permission denied\"\n  }\n}";
        assertThatThrownBy(() -> proxies.subscribe(via, CALLER, "chat:index", "", null))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> {
                    assertThat(r.error().code()).isEqualTo(403);
                    assertThat(r.error().message()).isEqualTo("permission denied");
                    assertThat(r.error().temporary()).isFalse();
                    assertThat(r.disconnect()).isNull();
                });
    }

    @Test
    void publishSendsTheClientsBytesAndTakesTheBackendsDataInstead() throws Exception {
        var proxies = proxies(options(false, false));
        byte[] client = "{\"input\":\"hello\",\"n\":0.12345678901234567890123}".getBytes();
        answer = "{\"result\":{}}";
        assertThat(proxies.publish(proxies.publishProxy(""), CALLER, "chat:index", client).data()).isEqualTo(client);
        assertThat(sent.getLast()).contains("\"data\":{\"input\":\"hello\",\"n\":0.12345678901234567890123}");

        answer = "{\"result\":{\"data\":{\"input\":\"HELLO\",\"v\":1.10},\"skip_history\":true}}";
        var rewritten = proxies.publish(proxies.publishProxy(""), CALLER, "chat:index", client);
        assertThat(new String(rewritten.data())).isEqualTo("{\"input\":\"HELLO\",\"v\":1.10}");
        assertThat(rewritten.skipHistory()).isTrue();
    }

    @Test
    void rpcAcceptsTheDocumentedAnswer() throws Exception {
        answer = "{\n  \"result\": {\n    \"data\": {\"answer\": \"2019\"}\n  }\n}";
        var proxies = proxies(options(false, false));
        byte[] data = proxies.rpc(proxies.rpcProxy("getCurrentPrice"), CALLER, "getCurrentPrice",
                "{\"params\": {\"object_id\": 12}}".getBytes());

        assertThat(new String(data)).isEqualTo("{\"answer\": \"2019\"}");
        assertThat(lastRequest().path("method").asText()).isEqualTo("getCurrentPrice");
        assertThat(lastRequest().path("data").path("params").path("object_id").asInt()).isEqualTo(12);
    }

    @Test
    void customDisconnectsSayWhetherToReconnect() {
        var proxies = proxies(options(false, false));
        answer = "{\n  \"disconnect\": {\n    \"code\": 4500,\n    \"reason\": \"disconnect reason\"\n  }\n}";
        assertThatThrownBy(() -> proxies.connect(CALLER, null, "", "", List.of()))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> {
                    assertThat(r.disconnect().code()).isEqualTo(4500);
                    assertThat(r.disconnect().reason()).isEqualTo("disconnect reason");
                    assertThat(r.disconnect().reconnect()).isFalse();
                });
        answer = "{\"disconnect\":{\"code\":4000,\"reason\":\"later\"}}";
        assertThatThrownBy(() -> proxies.connect(CALLER, null, "", "", List.of()))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.disconnect().reconnect()).isTrue());
    }

    @Test
    void codesOutsideTheDocumentedRangesAndGarbageAreNoAnswer() {
        var proxies = proxies(options(false, false));
        for (String bad : List.of("{\"error\":{\"code\":100,\"message\":\"internal\"}}",
                "{\"error\":{\"code\":2000}}", "{\"disconnect\":{\"code\":3000}}", "<html>502</html>", "",
                "{\"result\":{\"user\":56}}", "{\"result\":{\"expire_at\":\"soon\"}}", "{\"result\":{}} trailing")) {
            answer = bad;
            assertThatThrownBy(() -> proxies.connect(CALLER, null, "", "", List.of())).as(bad)
                    .isInstanceOf(ProxyUnavailableException.class);
        }
    }

    @Test
    void binaryEncodingAndNonJsonProtobufPayloadsGoAsBase64() throws Exception {
        var binary = proxies(options(false, true));
        binary.publish(binary.publishProxy(""), CALLER, "c", "{\"a\":1}".getBytes());
        assertThat(lastRequest().path("encoding").asText()).isEqualTo("binary");
        assertThat(lastRequest().path("b64data").asText()).isEqualTo("eyJhIjoxfQ==");
        assertThat(lastRequest().has("data")).isFalse();

        var plain = proxies(options(false, false));
        var protobufCaller = new ProxyCaller("c1", "websocket", ProtocolType.PROTOBUF, "u", null, Map.of(), Map.of());
        plain.publish(plain.publishProxy(""), protobufCaller, "c", new byte[] {(byte) 0xff, 0});
        assertThat(lastRequest().path("protocol").asText()).isEqualTo("protobuf");
        assertThat(lastRequest().path("b64data").asText()).isEqualTo("/wA=");
        plain.publish(plain.publishProxy(""), protobufCaller, "c", "[1]".getBytes());
        assertThat(lastRequest().path("data").toString()).isEqualTo("[1]");
    }

    @Test
    void forwardsAllowListedHeadersTransportFirstAndMetaWhenAsked() throws Exception {
        var proxies = proxies(options(true, false));
        proxies.subscribe(proxies.subscribeProxy(""), CALLER, "c", "", null);

        assertThat(sentHeaders.getLast()).containsExactlyInAnyOrderEntriesOf(Map.of("cookie", "session=abc",
                "authorization", "Bearer transport", "x-tenant", "t1"));
        assertThat(lastRequest().path("meta").path("plan").asText()).isEqualTo("pro");
    }
}
