package dev.weft.server.sse;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SseEventFormatTest {
    private static final SseEventFormat FORMAT = SseEventFormat.INSTANCE;

    private static String encode(Push push, String epoch) {
        return new String(FORMAT.encode(push, epoch), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Example
    void aPublicationIsOneEventWithItsPositionAndItsJsonAsPublished() {
        Publication p = new Publication(utf8("{\"text\":\"héllo\",\"n\":[1,2]}"), null, 42);

        assertThat(encode(new Push("chat:room", p), "ep1")).isEqualTo("""
                id: chat:room/ep1/42
                event: publication
                data: {"text":"héllo","n":[1,2]}

                """);
    }

    @Example
    void lineBreaksBetweenJsonTokensBecomeSpacesSoTheDataStaysOneLine() {
        Publication p = new Publication(utf8("{\r\n  \"a\": 1\n}"), null, 1);

        assertThat(encode(new Push("c", p), "e")).contains("data: {    \"a\": 1 }\n\n");
    }

    @Example
    void bytesThatAreNotJsonTravelAsBase64WithAnEncodingField() {
        for (byte[] data : List.of(new byte[] {0, 1, 2, (byte) 0xFF}, utf8("not json"), utf8("{\"a\":1} {"),
                utf8("1 2"), "{\"a\":1}".getBytes(StandardCharsets.UTF_16), new byte[0])) {
            String event = encode(new Push("c", new Publication(data, null, 1)), "e");
            String base64 = java.util.Base64.getEncoder().encodeToString(data);
            assertThat(event).as(new String(data, StandardCharsets.ISO_8859_1))
                    .contains("data: {\"encoding\":\"base64\",\"data\":\"" + base64 + "\"}\n\n");
        }
    }

    @Example
    void scalarsAreJsonToo() {
        assertThat(encode(new Push("c", new Publication(utf8("\"just text\""), null, 0)), ""))
                .isEqualTo("id: c//0\nevent: publication\ndata: \"just text\"\n\n");
        assertThat(encode(new Push("c", new Publication(utf8("12.5"), null, 3)), "e")).contains("data: 12.5\n");
    }

    @Example
    void joinAndLeaveNameTheChannelAndWho() {
        ClientInfo info = new ClientInfo("alice", "c1", utf8("{\"name\":\"Alice\"}"), new byte[] {1, 2});

        assertThat(encode(new Push("chat", new Join(info)), "")).isEqualTo("event: join\n"
                + "data: {\"channel\":\"chat\",\"user\":\"alice\",\"client\":\"c1\",\"conn_info\":{\"name\":\"Alice\"},"
                + "\"chan_info\":{\"encoding\":\"base64\",\"data\":\"AQI=\"}}\n\n");
        assertThat(encode(new Push("chat", new Leave(new ClientInfo("bob", "c2", null, null))), ""))
                .isEqualTo("event: leave\ndata: {\"channel\":\"chat\",\"user\":\"bob\",\"client\":\"c2\"}\n\n");
    }

    @Example
    void connectSendsResetsThenRecoveredPublicationsThenEveryPosition() {
        Map<String, SubscribeResult> subs = new LinkedHashMap<>();
        subs.put("lost", new SubscribeResult(false, 0, true, "e1", List.of(), false, 90, true, null, true));
        subs.put("kept", new SubscribeResult(false, 0, true, "e2", List.of(
                new Publication(utf8("{\"n\":4}"), null, 4), new Publication(utf8("{\"n\":5}"), null, 5)),
                true, 5, true, null, true));
        subs.put("fresh", new SubscribeResult(false, 0, true, "e3", List.of(), false, 7, true, null, false));
        subs.put("plain", new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false));
        ConnectResult connect = new ConnectResult("client", "v", false, 0, null, subs, 25, false, "", "", 0);

        assertThat(encode(new Push("", connect), "")).isEqualTo("""
                id: lost/e1/90
                event: reset
                data: {"channel":"lost","reason":"publications were missed and are no longer in history"}

                id: kept/e2/4
                event: publication
                data: {"n":4}

                id: kept/e2/5
                event: publication
                data: {"n":5}

                id: lost/e1/90,kept/e2/5,fresh/e3/7,plain//0
                event: subscribed
                data: {"channels":["lost","kept","fresh","plain"]}

                """);
    }

    @Example
    void serverSideChangesMessagesAndDisconnects() {
        assertThat(encode(new Push("c", new UnsubscribePush(2000, "server unsubscribe")), ""))
                .isEqualTo("event: unsubscribe\ndata: {\"channel\":\"c\",\"code\":2000,\"reason\":\"server unsubscribe\"}\n\n");
        assertThat(encode(new Push("", new Message(utf8("{\"hi\":true}"))), ""))
                .isEqualTo("event: message\ndata: {\"hi\":true}\n\n");
        assertThat(encode(new Push("", new Disconnect(3001, "shutdown", true)), ""))
                .isEqualTo("event: disconnect\ndata: {\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}\n\n");
        assertThat(FORMAT.encode(new Push("", new RefreshPush(true, 10)), "")).isEmpty();
        assertThat(FORMAT.ping()).as("the transport heartbeats itself").isNull();
    }

    @Property
    void whateverThePayloadAPublicationIsExactlyOneEvent(@ForAll byte[] data, @ForAll long offset) {
        String event = encode(new Push("c", new Publication(data, null, offset)), "e");

        assertThat(event).endsWith("\n\n");
        assertThat(event.indexOf("\n\n")).isEqualTo(event.length() - 2);
        assertThat(event).doesNotContain("\r");
        assertThat(event.substring(0, event.length() - 2).lines().toList()).allMatch(l -> l.startsWith("id: ") || l.startsWith("event: ")
                || l.startsWith("data: "));
    }
}
