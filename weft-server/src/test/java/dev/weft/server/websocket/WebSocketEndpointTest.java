package dev.weft.server.websocket;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.http.BoundedHttpAggregator;
import dev.weft.server.http.HttpRouter;
import dev.weft.server.http.OriginPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class WebSocketEndpointTest {
    private static final int LIMIT = 1024;

    private final RecordingSessions sessions = new RecordingSessions();
    /** Turns server output bytes back into frames (server frames are not masked). */
    private final EmbeddedChannel serverFrames = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    /** Turns client frames into masked wire bytes. */
    private final EmbeddedChannel clientFrames = new EmbeddedChannel(new WebSocket13FrameEncoder(true));

    @AfterEach
    void noLeftovers() {
        assertFalse(serverFrames.finish());
        assertFalse(clientFrames.finish());
    }

    private EmbeddedChannel server(List<String> allowedOrigins) {
        WebSocketEndpoint endpoint = new WebSocketEndpoint(sessions, new OriginPolicy(allowedOrigins), LIMIT, 1 << 20);
        return new EmbeddedChannel(new HttpServerCodec(), new BoundedHttpAggregator(1 << 20),
                new HttpRouter(Map.of(WebSocketEndpoint.PATH, endpoint)));
    }

    private static String upgradeRequest(String uri, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + uri + " HTTP/1.1\r\n"
                + "Host: weft.test:8000\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** Sends the upgrade request; returns the HTTP response head. */
    private static String handshake(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        ByteBuf response = ch.readOutbound();
        assertThat(response).as("HTTP response").isNotNull();
        try {
            return response.toString(StandardCharsets.US_ASCII);
        } finally {
            response.release();
        }
    }

    private void sendFromClient(EmbeddedChannel server, WebSocketFrame frame) {
        clientFrames.writeOutbound(frame);
        ByteBuf bytes;
        while ((bytes = clientFrames.readOutbound()) != null) {
            server.writeInbound(bytes);
        }
    }

    /** The next frame the server wrote, decoded. */
    private WebSocketFrame readFromServer(EmbeddedChannel server) {
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            serverFrames.writeInbound(bytes);
        }
        return serverFrames.readInbound();
    }

    @Test
    void protobufSubprotocolIsEchoedAndSelectsProtobuf() {
        EmbeddedChannel ch = server(List.of());
        String response = handshake(ch, upgradeRequest(WebSocketEndpoint.PATH, "Sec-WebSocket-Protocol", "centrifuge-protobuf"));
        assertThat(response).startsWith("HTTP/1.1 101 ").containsIgnoringCase("sec-websocket-protocol: centrifuge-protobuf\r\n");
        assertThat(sessions.transports).singleElement().satisfies(t -> {
            assertThat(t.protocolType()).isEqualTo(ProtocolType.PROTOBUF);
            assertThat(t.name()).isEqualTo("websocket");
            assertThat(t.unidirectional()).isFalse();
            assertThat(t.headers()).containsEntry("host", "weft.test:8000")
                    .containsEntry("sec-websocket-protocol", "centrifuge-protobuf");
        });
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void formatQuerySelectsProtobufWithoutSubprotocol() {
        for (String query : List.of("?format=protobuf", "?cf_protocol=protobuf")) {
            EmbeddedChannel ch = server(List.of());
            String response = handshake(ch, upgradeRequest(WebSocketEndpoint.PATH + query));
            assertThat(response).startsWith("HTTP/1.1 101 ").doesNotContainIgnoringCase("sec-websocket-protocol");
            assertThat(sessions.transports.getLast().protocolType()).as(query).isEqualTo(ProtocolType.PROTOBUF);
            ch.close();
            assertFalse(ch.finish());
        }
    }

    @Test
    void jsonIsTheDefaultAndItsSubprotocolIsEchoed() {
        EmbeddedChannel ch = server(List.of());
        assertThat(handshake(ch, upgradeRequest(WebSocketEndpoint.PATH))).startsWith("HTTP/1.1 101 ");
        EmbeddedChannel ch2 = server(List.of());
        assertThat(handshake(ch2, upgradeRequest(WebSocketEndpoint.PATH + "?format=json",
                "Sec-WebSocket-Protocol", "centrifuge-json")))
                .containsIgnoringCase("sec-websocket-protocol: centrifuge-json\r\n");
        assertThat(sessions.transports).extracting(t -> t.protocolType())
                .containsExactly(ProtocolType.JSON, ProtocolType.JSON);
        ch.close();
        ch2.close();
        assertFalse(ch.finish());
        assertFalse(ch2.finish());
    }

    @Test
    void disallowedOriginIs403() {
        EmbeddedChannel ch = server(List.of("https://*.example.com"));
        String response = handshake(ch, upgradeRequest(WebSocketEndpoint.PATH, "Origin", "https://evil.test"));
        assertThat(response).startsWith("HTTP/1.1 403 ");
        assertThat(sessions.transports).isEmpty();
        assertThat(handshake(ch, upgradeRequest(WebSocketEndpoint.PATH, "Origin", "https://app.example.com")))
                .startsWith("HTTP/1.1 101 ");
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void withoutAllowedOriginsOnlySameHostIsAccepted() {
        EmbeddedChannel cross = server(List.of());
        assertThat(handshake(cross, upgradeRequest(WebSocketEndpoint.PATH, "Origin", "http://other.test:8000")))
                .startsWith("HTTP/1.1 403 ");
        EmbeddedChannel same = server(List.of());
        assertThat(handshake(same, upgradeRequest(WebSocketEndpoint.PATH, "Origin", "http://weft.test:8000")))
                .startsWith("HTTP/1.1 101 ");
        cross.close();
        same.close();
        assertFalse(cross.finish());
        assertFalse(same.finish());
    }

    @Test
    void plainGetIs400() {
        EmbeddedChannel ch = server(List.of());
        String response = handshake(ch, "GET " + WebSocketEndpoint.PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(sessions.transports).isEmpty();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void textAndBinaryMessagesReachTheSessionWhole() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sendFromClient(ch, new TextWebSocketFrame("{\"id\":1,\"connect\":{}}"));
        sendFromClient(ch, new BinaryWebSocketFrame(Unpooled.copiedBuffer("bin", StandardCharsets.UTF_8)));
        sendFromClient(ch, new TextWebSocketFrame(false, 0, "hel"));
        sendFromClient(ch, new ContinuationWebSocketFrame(true, 0, "lo"));
        assertThat(sessions.frames).containsExactly("{\"id\":1,\"connect\":{}}", "bin", "hello");
        ch.close();
        assertThat(sessions.closed).hasValue(1);
        assertFalse(ch.finish());
    }

    @Test
    void writesBecomeTextFramesForJsonAndBinaryFramesForProtobuf() {
        EmbeddedChannel json = server(List.of());
        handshake(json, upgradeRequest(WebSocketEndpoint.PATH));
        EmbeddedChannel proto = server(List.of());
        handshake(proto, upgradeRequest(WebSocketEndpoint.PATH + "?format=protobuf"));
        assertThat(sessions.transports.get(0).write("{}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(sessions.transports.get(1).write(new byte[] {1, 2})).isTrue();
        json.runPendingTasks();
        proto.runPendingTasks();

        WebSocketFrame text = readFromServer(json);
        assertThat(text).isInstanceOf(TextWebSocketFrame.class);
        assertThat(((TextWebSocketFrame) text).text()).isEqualTo("{}");
        text.release();
        WebSocketFrame binary = readFromServer(proto);
        assertThat(binary).isInstanceOf(BinaryWebSocketFrame.class);
        assertThat(binary.content().readableBytes()).isEqualTo(2);
        binary.release();
        json.close();
        proto.close();
        assertFalse(json.finish());
        assertFalse(proto.finish());
    }

    @Test
    void oversizedMessageClosesWith1009() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sendFromClient(ch, new TextWebSocketFrame("x".repeat(LIMIT + 1)));
        assertThat(sessions.frames).isEmpty();
        CloseWebSocketFrame close = (CloseWebSocketFrame) readFromServer(ch);
        assertThat(close.statusCode()).isEqualTo(1009);
        assertThat(close.reasonText()).isEqualTo("message too big");
        close.release();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void oversizedFragmentedMessageClosesWith1009() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sendFromClient(ch, new TextWebSocketFrame(false, 0, "x".repeat(LIMIT)));
        sendFromClient(ch, new ContinuationWebSocketFrame(true, 0, "y"));
        assertThat(sessions.frames).isEmpty();
        CloseWebSocketFrame close = (CloseWebSocketFrame) readFromServer(ch);
        assertThat(close.statusCode()).isEqualTo(1009);
        assertThat(close.reasonText()).isEqualTo("message too big");
        close.release();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void pingIsAnsweredWithPong() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sendFromClient(ch, new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8)));
        WebSocketFrame pong = readFromServer(ch);
        assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
        assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("p");
        pong.release();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void clientCloseIsAnsweredAndEndsTheSession() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sendFromClient(ch, new CloseWebSocketFrame(1000, "bye"));
        CloseWebSocketFrame answer = (CloseWebSocketFrame) readFromServer(ch);
        assertThat(answer.statusCode()).isEqualTo(1000);
        answer.release();
        assertThat(ch.isOpen()).isFalse();
        assertThat(sessions.closed).hasValue(1);
        assertThat(sessions.transports.getFirst().write(new byte[] {1})).as("dropped after close").isTrue();
        assertFalse(ch.finish());
    }

    @Test
    void serverCloseSendsCodeAndReasonThenClosesWhenTheClientAnswers() {
        EmbeddedChannel ch = server(List.of());
        handshake(ch, upgradeRequest(WebSocketEndpoint.PATH));
        sessions.transports.getFirst().close(DisconnectCode.SHUTDOWN.disconnect());
        sessions.transports.getFirst().close(new Disconnect(3999, "second close is ignored", false));
        CloseWebSocketFrame close = (CloseWebSocketFrame) readFromServer(ch);
        assertThat(close.statusCode()).isEqualTo(3001);
        assertThat(close.reasonText()).isEqualTo("shutdown");
        close.release();
        assertThat(readFromServer(ch)).isNull();
        assertThat(ch.isOpen()).as("waits for the client's close frame").isTrue();
        sendFromClient(ch, new CloseWebSocketFrame(3001, ""));
        assertThat(ch.isOpen()).isFalse();
        assertThat(sessions.closed).hasValue(1);
        assertFalse(ch.finish());
    }
}
