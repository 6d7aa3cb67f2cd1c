package dev.weft.server.stream;

import dev.weft.core.transport.PushFormats;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.server.StalledSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ChunkedStreamTransportTest {

    private static ChunkedStreamTransport transport(EmbeddedChannel channel, StreamFraming framing, long queue) {
        return ChunkedStreamTransport.builder(channel)
                .name("uni_test")
                .unidirectional(true)
                .pushFormat(PushFormats.bare(ProtocolType.JSON))
                .framing(framing)
                .remoteAddress("127.0.0.1:1")
                .queueMaxSize(queue)
                .responseHeader("Access-Control-Allow-Origin", "https://app.example")
                .build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String content(HttpContent chunk) {
        try {
            return chunk.content().toString(StandardCharsets.UTF_8);
        } finally {
            chunk.release();
        }
    }

    @Test
    void sendsTheHeadWithTheFirstFrameThenOneChunkPerFrame() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport transport = transport(channel, StreamFraming.SSE, 1024);

        assertThat(transport.write(bytes("{\"connect\":{}}"))).isTrue();
        assertThat(transport.write(bytes("{}"))).isTrue();

        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(head.headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        assertThat(head.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(head.headers().get("X-Accel-Buffering")).isEqualTo("no");
        assertThat(head.headers().get(HttpHeaderNames.CACHE_CONTROL)).contains("no-cache");
        assertThat(head.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(content(channel.readOutbound())).isEqualTo("data: {\"connect\":{}}\n\n");
        assertThat(content(channel.readOutbound())).isEqualTo("data: {}\n\n");
        assertThat(transport.committed()).isTrue();
        assertFalse(channel.finish());
    }

    @Test
    void aCloseBeforeAnyFrameIsAnHttpErrorWithTheDisconnectAsJson() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport transport = transport(channel, StreamFraming.NEWLINE_DELIMITED, 1024);
        AtomicInteger closed = new AtomicInteger();
        transport.onClosed(closed::incrementAndGet);

        transport.close(DisconnectCode.INVALID_TOKEN.disconnect());
        transport.close(DisconnectCode.SHUTDOWN.disconnect());

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(content(response)).isEqualTo("{\"disconnect\":{\"code\":3500,\"reason\":\"invalid token\"}}");
        assertThat(channel.isOpen()).isFalse();
        assertThat(closed).hasValue(1);
        assertThat(transport.write(bytes("{}"))).as("writes after closing are dropped").isTrue();
        assertFalse(channel.finish());
    }

    @Test
    void aCloseAfterTheHeadSendsTheDisconnectPushAndEndsTheResponse() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport transport = transport(channel, StreamFraming.NEWLINE_DELIMITED, 1024);
        transport.write(bytes("{\"connect\":{}}"));

        transport.close(DisconnectCode.SHUTDOWN.disconnect());

        HttpResponse head = channel.readOutbound();
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/x-ndjson");
        assertThat(content(channel.readOutbound())).isEqualTo("{\"connect\":{}}\n");
        assertThat(content(channel.readOutbound()))
                .isEqualTo("{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}}\n");
        assertThat((Object) channel.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finish());
    }

    @Test
    void commitSendsTheHeadAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport transport = transport(channel, StreamFraming.SSE, 1024);

        transport.commit();
        transport.commit();

        HttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat((Object) channel.readOutbound()).isNull();
        transport.close(null);
        assertThat((Object) channel.readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertFalse(channel.finish());
    }

    @Test
    void refusesFramesBeyondTheQueueBoundUntilTheSocketDrains() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel channel = new EmbeddedChannel(socket);
        ChunkedStreamTransport transport = transport(channel, StreamFraming.NEWLINE_DELIMITED, 100);
        byte[] frame = bytes("{\"pub\":\"" + "x".repeat(30) + "\"}"); // 40 bytes + newline

        assertThat(transport.write(frame)).isTrue();
        assertThat(transport.write(frame)).isTrue();
        assertThat(transport.write(frame)).as("third frame would exceed 100 bytes").isFalse();
        assertThat(transport.pendingBytes()).isEqualTo(82);

        socket.drain();
        assertThat(transport.pendingBytes()).isZero();
        assertThat(transport.write(frame)).isTrue();
        socket.drain();
        channel.close();
        socket.drain();
        assertFalse(channel.finish());
    }

    @Test
    void theClientGoingAwayRunsTheCloseTasksOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport transport = transport(channel, StreamFraming.SSE, 1024);
        AtomicInteger closed = new AtomicInteger();
        transport.onClosed(closed::incrementAndGet);
        transport.write(bytes("{}"));

        channel.close();
        transport.close(DisconnectCode.SHUTDOWN.disconnect());

        assertThat(closed).hasValue(1);
        assertThat(transport.isClosing()).isTrue();
        assertThat(transport.write(bytes("{}"))).isTrue();
        HttpResponse head = channel.readOutbound();
        assertThat(head).isNotNull();
        assertThat(content(channel.readOutbound())).isEqualTo("data: {}\n\n");
        assertFalse(channel.finish());
    }

    @Test
    void sseFramingSplitsLinesIntoDataFields() {
        ByteBuf one = StreamFraming.SSE.frame(bytes("{\"a\":1}"));
        ByteBuf several = StreamFraming.SSE.frame(bytes("{\"id\":1}\n{\"id\":2}\r\n{}\r"));
        try {
            assertThat(one.toString(StandardCharsets.UTF_8)).isEqualTo("data: {\"a\":1}\n\n");
            assertThat(several.toString(StandardCharsets.UTF_8))
                    .isEqualTo("data: {\"id\":1}\ndata: {\"id\":2}\ndata: {}\ndata: \n\n");
        } finally {
            one.release();
            several.release();
        }
    }

    @Test
    void selfDelimitedFramesGoOutAsTheyAre() {
        ByteBuf frame = StreamFraming.SELF_DELIMITED.frame(new byte[] {2, 8, 1});
        try {
            assertThat(frame.readableBytes()).isEqualTo(3);
            assertThat(StreamFraming.SELF_DELIMITED.contentType()).isEqualTo("application/octet-stream");
        } finally {
            frame.release();
        }
    }

    @Test
    void aReaderThatDoesNotTakeTheEndOfTheStreamIsCutOffAfterTheWait() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel channel = new EmbeddedChannel(socket);
        ChunkedStreamTransport transport = transport(channel, StreamFraming.NEWLINE_DELIMITED, 1024);
        transport.write(bytes("{}"));

        transport.close(DisconnectCode.SLOW.disconnect());
        assertThat(channel.isOpen()).as("still waiting for the reader").isTrue();
        channel.advanceTimeBy(ChunkedStreamTransport.CLOSE_WAIT.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        socket.drain();
        assertFalse(channel.finish());
    }

    @Test
    void emulationStreamsSayTheyAreEmulation() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChunkedStreamTransport plain = transport(channel, StreamFraming.SSE, 1024);
        ChunkedStreamTransport emulated = ChunkedStreamTransport.builder(channel).name("sse").emulation(true)
                .pushFormat(PushFormats.replyWrapped(ProtocolType.JSON)).framing(StreamFraming.SSE).build();
        assertThat(plain.emulation()).isFalse();
        assertThat(emulated.emulation()).isTrue();
        assertThat(emulated.unidirectional()).isFalse();
        assertFalse(channel.finish());
    }
}
