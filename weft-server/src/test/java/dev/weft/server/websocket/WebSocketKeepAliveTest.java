package dev.weft.server.websocket;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketKeepAliveTest {
    private static final Duration INTERVAL = Duration.ofMillis(20);

    /** Lets more than the pong wait (interval × 10/9) pass on the real clock, then runs the due ticks. */
    private static void silenceLongerThanThePongWait(EmbeddedChannel ch) throws InterruptedException {
        Thread.sleep(3 * INTERVAL.toMillis()); // the handler measures silence with System.nanoTime()
        ch.advanceTimeBy(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void silenceWhileTheServerPausedReadingIsNotTheClients() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport transport = WebSocketTransport.binary(ch, "test", "peer", Map.of(), 1 << 20);
        ch.pipeline().addLast(new WebSocketKeepAlive(transport, INTERVAL));

        transport.readPaused(true);
        silenceLongerThanThePongWait(ch);
        assertThat(transport.isClosing()).as("paused by the server: pongs wait unread").isFalse();

        transport.readPaused(false);
        silenceLongerThanThePongWait(ch);
        assertThat(transport.isClosing()).as("reading, and still nothing from the client").isTrue();
    }
}
