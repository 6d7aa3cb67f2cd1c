package dev.weft.server.websocket;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.StalledSocket;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class WebSocketTransportTest {

    @Test
    void refusesFramesBeyondTheQueueBoundAndAcceptsAgainOnceDrained() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel ch = new EmbeddedChannel(socket);
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 100);
        byte[] forty = new byte[40];
        assertThat(transport.write(forty)).isTrue();
        assertThat(transport.write(forty)).isTrue();
        assertThat(transport.pendingBytes()).isEqualTo(80);
        assertThat(transport.write(forty)).as("80 + 40 > 100").isFalse();
        assertThat(transport.pendingBytes()).as("a refused frame is not counted").isEqualTo(80);
        assertThat(transport.write(new byte[20])).as("80 + 20 fits exactly").isTrue();
        assertThat(socket.messages).hasSize(3);

        socket.drain();
        assertThat(transport.pendingBytes()).isZero();
        assertThat(transport.write(forty)).isTrue();
        socket.drain();
        assertFalse(ch.finish());
    }

    @Test
    void framesShareTheCallersArray() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        byte[] shared = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        transport.write(shared);
        transport.write(shared);
        TextWebSocketFrame first = ch.readOutbound();
        TextWebSocketFrame second = ch.readOutbound();
        assertThat(first.content().array()).isSameAs(shared);
        assertThat(second.content().array()).isSameAs(shared);
        first.release();
        second.release();
        assertFalse(ch.finish());
    }

    @Test
    void closeIsIdempotentAndDropsLaterWrites() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        transport.close(DisconnectCode.SLOW.disconnect());
        transport.close(DisconnectCode.SHUTDOWN.disconnect());
        assertThat(transport.write(new byte[] {1})).isTrue();
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(3008);
        assertThat(close.reasonText()).isEqualTo("slow");
        close.release();
        Object more = ch.readOutbound();
        assertThat(more).isNull();
        ch.advanceTimeBy(WebSocketTransport.CLOSE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("closed after waiting for the client").isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void longReasonIsCutToFitACloseFrame() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        transport.close(new Disconnect(4000, "é".repeat(100), true));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.reasonText()).isEqualTo("é".repeat(61));
        close.release();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void truncateKeepsSurrogatePairsWhole() {
        String emoji = "\uD83D\uDE00"; // 4 UTF-8 bytes
        String cut = WebSocketTransport.truncate("a".repeat(121) + emoji);
        assertThat(cut).isEqualTo("a".repeat(121));
        assertThat(WebSocketTransport.truncate("short")).isEqualTo("short");
    }
}
