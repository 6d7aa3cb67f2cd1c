package dev.weft.server;

import dev.weft.core.ClientOptions;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.config.WebSocketConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: a client sends a frame bigger than any command — or announces a huge one — to make the server
 * buffer it (one large frame, a message split into many small fragments, or a header claiming exabytes).
 * Defence: {@code websocket.message_size_limit}, checked on the frame header and on the aggregated message
 * before anything is buffered beyond it; the connection is closed with 1009 and its session cleaned up.
 */
class OversizedFrameTest {
    private static final int LIMIT = 1024;

    private WeftServer server;

    @BeforeEach
    void start() {
        server = TestServers.start(ClientOptions.builder(), c -> c.withWebsocket(new WebSocketConfig(LIMIT)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private RawWebSocket connected() throws Exception {
        RawWebSocket ws = RawWebSocket.attempt(server.port(), "127.0.0.1");
        assertThat(ws.status()).isEqualTo(101);
        ws.sendText("{\"id\":1,\"connect\":{}}");
        assertThat(ws.readFrame().text()).contains("\"connect\"");
        return ws;
    }

    private void assertClosedWith1009(RawWebSocket ws) throws Exception {
        RawWebSocket.Frame close = ws.readUntilClose();
        assertThat(close.closeCode()).isEqualTo(DisconnectCode.MESSAGE_SIZE_LIMIT.code());
        assertThat(close.closeReason()).isEqualTo("message too big");
    }

    @Test
    void aFrameOverTheLimitClosesTheConnectionWith1009() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.sendText("{\"id\":2,\"publish\":{\"channel\":\"x\",\"data\":\"" + "a".repeat(2 * LIMIT) + "\"}}");
            assertClosedWith1009(ws);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().memberCount() == 0);
        assertThat(TestServers.published(server, "x")).as("nothing of it was processed").isZero();
        assertThat(server.refusals().count("disconnect.message_size_limit")).isEqualTo(1);
    }

    @Test
    void smallFragmentsAddingUpToTooMuchCloseTheConnectionWith1009() throws Exception {
        try (RawWebSocket ws = connected()) {
            byte[] part = "a".repeat(LIMIT / 2 + 100).getBytes(StandardCharsets.UTF_8);
            ws.sendFrame(0x01, part); // text, not final
            ws.sendFrame(0x00, part); // continuation, not final: past the limit now
            assertClosedWith1009(ws);
        }
    }

    @Test
    void aHeaderAnnouncingAHugeFrameIsRefusedBeforeItsPayload() throws Exception {
        try (RawWebSocket ws = connected()) {
            byte[] header = {(byte) 0x81, (byte) (0x80 | 127), 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
            ws.sendRaw(header); // 2^63-1 bytes announced, none sent
            assertClosedWith1009(ws);
        }
    }

    @Test
    void aMessageOfExactlyTheLimitIsServed() throws Exception {
        try (RawWebSocket ws = connected()) {
            String ping = "{\"id\":2,\"ping\":{}}";
            ws.sendText(ping + " ".repeat(LIMIT - ping.length()));
            assertThat(ws.readFrame().text()).isEqualTo("{\"id\":2,\"ping\":{}}");
        }
    }
}
