package dev.weft.server.docs;

import dev.weft.core.limits.RefusalCounters;
import dev.weft.server.websocket.WebSocketTransport;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DocumentSocketTest {

    /** A handler stuck in its first frame, as behind a slow room. */
    private static final class Stuck implements DocumentSocket.Handler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void opened() {
        }

        @Override
        public void frame(byte[] frame) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void drained() {
        }

        @Override
        public void closed() {
        }
    }

    @Test
    void readingPausesAboveTheHighWaterMarkAndResumesAtTheLowWaterMark() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = WebSocketTransport.binary(ch, "test", "peer", Map.of(), 1 << 20);
        Stuck stuck = new Stuck();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            DocumentSocket socket = new DocumentSocket(transport, executor, 64 << 20, new RefusalCounters(),
                    new DocumentTraffic(), s -> stuck);
            socket.handleFrame(new byte[10]);
            stuck.entered.await();
            for (int i = 1; i < DocumentSocket.HIGH_WATER_FRAMES; i++) {
                socket.handleFrame(new byte[10]);
            }
            assertThat(ch.config().isAutoRead()).as("one frame below the high-water mark").isTrue();

            socket.handleFrame(new byte[10]);
            assertThat(ch.config().isAutoRead()).as("at the high-water mark").isFalse();
            for (int i = 0; i < 5_000; i++) {
                socket.handleFrame(new byte[10]); // the rest of a read buffer: taken, not a reason to close
            }
            assertThat(transport.isClosing()).isFalse();

            stuck.release.countDown();
            await().until(() -> ch.config().isAutoRead());
            assertThat(transport.isClosing()).isFalse();
        }
    }

    @Test
    void aMessageLargerThanTheWriteQueueReachesAClientThatKeepsUpAndARefusedWriteClosesAsSlow() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = WebSocketTransport.binary(ch, "test", "peer", Map.of(), 1_000);
        Stuck stuck = new Stuck();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RefusalCounters refusals = new RefusalCounters();
            DocumentSocket socket = new DocumentSocket(transport, executor, 10_000, refusals, new DocumentTraffic(), s -> stuck);

            assertThat(socket.send(new byte[5_000])).as("five times the queue bound, queue empty").isTrue();
            assertThat(transport.isClosing()).isFalse();

            assertThat(socket.send(new byte[10])).as("5 000 bytes still waiting to be written").isFalse();
            assertThat(transport.isClosing()).isTrue();
            assertThat(refusals.count("docs.slow")).isEqualTo(1);
            socket.send(new byte[10]);
            assertThat(refusals.count("docs.slow")).as("closed once").isEqualTo(1);
        }
    }

    @Test
    void clientThatOutpacesItsInboxIsClosedAsSlowOnBytes() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = WebSocketTransport.binary(ch, "test", "peer", Map.of(), 1 << 20);
        Stuck stuck = new Stuck();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RefusalCounters refusals = new RefusalCounters();
            DocumentSocket socket = new DocumentSocket(transport, executor, 10_000, refusals, new DocumentTraffic(), s -> stuck);
            socket.handleFrame(new byte[1_000]);
            stuck.entered.await(); // the handler holds the first frame; what follows waits
            for (int i = 0; i < 10; i++) {
                socket.handleFrame(new byte[1_000]);
            }
            assertThat(transport.isClosing()).as("10 000 bytes waiting: at the bound").isFalse();
            // Reading was paused long ago; these are what a read buffer still held.
            socket.handleFrame(new byte[1_000]);
            assertThat(transport.isClosing()).as("11 000 bytes waiting").isTrue();
            assertThat(refusals.count("docs.slow")).isEqualTo(1);
            ch.runPendingTasks();
            CloseWebSocketFrame close = ch.readOutbound();
            assertThat(close.statusCode()).isEqualTo(1013);
            close.release();
            stuck.release.countDown();
        }
    }
}
