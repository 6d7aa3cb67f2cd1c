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
        public void closed() {
        }
    }

    @Test
    void clientThatOutpacesItsInboxIsClosedAsSlowOnBytes() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = WebSocketTransport.binary(ch, "test", "peer", Map.of(), 1 << 20);
        Stuck stuck = new Stuck();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RefusalCounters refusals = new RefusalCounters();
            DocumentSocket socket = new DocumentSocket(transport, executor, 10_000, refusals, s -> stuck);
            socket.handleFrame(new byte[1_000]);
            stuck.entered.await(); // the handler holds the first frame; what follows waits
            for (int i = 0; i < 10; i++) {
                socket.handleFrame(new byte[1_000]);
            }
            assertThat(transport.isClosing()).as("10 000 bytes waiting: at the bound").isFalse();
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
