package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/2 connection that has had no open stream for {@code idleTimeout} — from its start (a client
 * that sends the preface and nothing more) or since its last stream closed — with GOAWAY: the close passes
 * through the frame codec in front of this handler. The HTTP/2 counterpart of {@link RequestDeadlineHandler}'s
 * keep-alive deadline; each stream's own request deadline is a {@code RequestDeadlineHandler} in the stream's
 * pipeline, and a connection with a long-lived stream (SSE) stays open as long as the stream does.
 *
 * <p>Sits right after the {@code Http2FrameCodec} whose {@link Http2Connection} it watches. Not sharable; event
 * loop only (the connection's listeners run there too).
 */
final class Http2IdleTimeout extends ChannelHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Http2IdleTimeout.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(1));

    private final Http2Connection connection;
    private final Duration idleTimeout;
    private final RefusalCounters refusals;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;

    Http2IdleTimeout(Http2Connection connection, Duration idleTimeout, RefusalCounters refusals) {
        this.connection = connection;
        this.idleTimeout = idleTimeout;
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                cancel();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    arm();
                }
            }
        });
        if (connection.numActiveStreams() == 0) {
            arm();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm() {
        cancel();
        if (ctx.channel().isOpen()) {
            timer = ctx.executor().schedule(this::expire, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expire() {
        timer = null;
        if (connection.numActiveStreams() > 0 || !ctx.channel().isActive()) {
            return;
        }
        DeadlineClose.close(ctx, refusals, log, LOG_THROTTLE, "HTTP/2 connection",
                "no stream for " + idleTimeout.toMillis() + " ms (http_server.idle_timeout)");
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
