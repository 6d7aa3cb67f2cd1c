package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a complete HTTP request in time — the slowloris defence at the
 * HTTP layer, before any transport exists: a socket that opens and says nothing, or sends its headers a byte
 * at a time, holds a connection without ever reaching the engine's stale check.
 *
 * <ul>
 *   <li>The first request must be complete within {@code firstRequest} of opening
 *       ({@code client.stale_close_delay}: a client that has not even upgraded has certainly not sent its
 *       connect command).</li>
 *   <li>On a keep-alive connection the next request must be complete within {@code keepAliveIdle}
 *       ({@code http_server.idle_timeout}) of the previous response.</li>
 *   <li>No deadline runs while a request is being answered, and none after a {@code 101 Switching
 *       Protocols} or the head of a streamed response (SSE, HTTP-streaming): the transport's own timeouts
 *       take over.</li>
 * </ul>
 *
 * Sits right after the HTTP aggregator, so "a request" means a complete one. Under HTTP/2 each stream's pipeline
 * has one: a stream whose request does not complete in time is reset, and the connection's own idle time is
 * {@link Http2IdleTimeout}'s. Not sharable; event loop only.
 */
public final class RequestDeadlineHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadlineHandler.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(1));

    private final Duration firstRequest;
    private final Duration keepAliveIdle;
    private final RefusalCounters refusals;
    private ScheduledFuture<?> timer;
    private int outstanding;
    /** After a 101 or a streamed response head: the connection is no longer a request/response one. */
    private boolean upgraded;

    /**
     * @param firstRequest  deadline for the first request; zero or negative = none
     * @param keepAliveIdle deadline for each next request, from the previous response
     */
    public RequestDeadlineHandler(Duration firstRequest, Duration keepAliveIdle, RefusalCounters refusals) {
        this.firstRequest = firstRequest;
        this.keepAliveIdle = keepAliveIdle;
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, firstRequest);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (timer == null) {
            arm(ctx, firstRequest);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && !upgraded) {
            outstanding++;
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && !upgraded) {
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                    || !(response instanceof FullHttpResponse)) {
                upgraded = true;
                cancel();
            } else {
                promise = promise.unvoid();
                promise.addListener(f -> responded(ctx));
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void responded(ChannelHandlerContext ctx) {
        outstanding = Math.max(0, outstanding - 1);
        if (outstanding == 0 && !upgraded && ctx.channel().isActive()) {
            arm(ctx, keepAliveIdle);
        }
    }

    private void arm(ChannelHandlerContext ctx, Duration deadline) {
        cancel();
        if (deadline.isZero() || deadline.isNegative()) {
            return;
        }
        timer = ctx.executor().schedule(() -> expire(ctx, deadline), deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx, Duration deadline) {
        timer = null;
        if (outstanding > 0 || upgraded || !ctx.channel().isActive()) {
            return;
        }
        DeadlineClose.close(ctx, refusals, log, LOG_THROTTLE,
                ctx.channel() instanceof Http2StreamChannel ? "HTTP/2 stream" : "connection",
                "no complete HTTP request within " + deadline.toMillis() + " ms");
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
