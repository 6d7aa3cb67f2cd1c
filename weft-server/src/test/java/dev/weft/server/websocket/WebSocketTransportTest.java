package dev.weft.server.websocket;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.StalledSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        ch.runPendingTasks();
        assertThat(transport.pendingBytes()).as("written to a socket that does not drain").isEqualTo(80);
        assertThat(transport.write(forty)).as("80 + 40 > 100").isFalse();
        assertThat(transport.pendingBytes()).as("a refused frame is not counted").isEqualTo(80);
        assertThat(transport.write(new byte[20])).as("80 + 20 fits exactly").isTrue();
        assertThat(transport.pendingBytes()).as("counted from the write, before the event loop runs").isEqualTo(100);
        ch.runPendingTasks();

        socket.drain();
        assertThat(transport.pendingBytes()).isZero();
        assertThat(transport.write(forty)).isTrue();
        ch.runPendingTasks();
        socket.drain();
        assertFalse(ch.finish());
    }

    @Test
    void aBurstIsWrittenInOrderWithOneFlush() {
        FlushCounter flushes = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(flushes, new WebSocket13FrameEncoder(false));
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        for (String m : List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}")) {
            assertThat(transport.write(m.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        assertThat((Object) ch.readOutbound()).as("nothing written before the event loop runs").isNull();
        ch.runPendingTasks();

        assertThat(decodeAll(ch)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(flushes.count).isEqualTo(1);
        assertThat(transport.pendingBytes()).isZero();
        assertFalse(ch.finish());
    }

    @Test
    void oneArrayIsFramedOnceAndSharedByItsWrites() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.PROTOBUF, "peer", Map.of(), 1000);
        byte[] shared = {1, 2, 3};
        transport.write(shared);
        transport.write(shared);
        ch.runPendingTasks();
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(first)).containsExactly(0x82, 3, 1, 2, 3); // FIN + binary, length 3
        assertThat(second.unwrap()).as("a duplicate of the same framed buffer").isSameAs(first.unwrap());
        first.release();
        second.release();
        assertFalse(ch.finish());
    }

    @Test
    void framesCarryLongPayloadLengths() {
        for (int length : new int[] {125, 126, 65_535, 65_536}) {
            EmbeddedChannel ch = new EmbeddedChannel();
            WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(),
                    1 << 20);
            String payload = "x".repeat(length);
            transport.write(payload.getBytes(StandardCharsets.UTF_8));
            ch.runPendingTasks();
            assertThat(decodeAll(ch)).containsExactly(payload);
            assertFalse(ch.finish());
        }
    }

    @Test
    void queuedWritesGoOutBeforeTheCloseFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        transport.write("{\"last\":1}".getBytes(StandardCharsets.UTF_8));
        transport.close(DisconnectCode.SLOW.disconnect()); // on the event loop, before the outbox task runs
        ch.runPendingTasks();
        EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        ByteBuf bytes;
        while ((bytes = ch.readOutbound()) != null) {
            decoder.writeInbound(bytes);
        }
        TextWebSocketFrame data = decoder.readInbound();
        assertThat(data.text()).isEqualTo("{\"last\":1}");
        data.release();
        CloseWebSocketFrame close = decoder.readInbound();
        assertThat(close.statusCode()).isEqualTo(3008);
        close.release();
        ch.close();
        assertFalse(ch.finish());
    }

    /** Every text message the channel wrote, decoded as a client would. */
    private static List<String> decodeAll(EmbeddedChannel ch) {
        EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        ByteBuf bytes;
        while ((bytes = ch.readOutbound()) != null) {
            decoder.writeInbound(bytes);
        }
        List<String> texts = new ArrayList<>();
        TextWebSocketFrame frame;
        while ((frame = decoder.readInbound()) != null) {
            texts.add(frame.text());
            frame.release();
        }
        return texts;
    }

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    @Test
    void closeIsIdempotentAndDropsLaterWrites() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = new WebSocketTransport(ch, ProtocolType.JSON, "peer", Map.of(), 1000);
        transport.close(DisconnectCode.SLOW.disconnect());
        transport.close(DisconnectCode.SHUTDOWN.disconnect());
        assertThat(transport.write(new byte[] {1})).isTrue();
        ch.runPendingTasks();
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
