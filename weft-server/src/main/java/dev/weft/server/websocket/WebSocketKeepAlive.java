package dev.weft.server.websocket;

import dev.weft.protocol.DisconnectCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Native WebSocket keep-alive for connections whose client never speaks (the one-way WebSocket): a ping
 * frame every {@code interval}, which browsers and WebSocket libraries answer with a pong by themselves; a
 * connection from which nothing at all (pong or other frame) was read for more than {@code interval} × 10/9
 * at a ping time is closed with 3012 "no pong" — a peer that vanished without closing TCP is let go within
 * about two intervals instead of when its write queue fills. As Centrifugo's {@code uni_websocket} does,
 * next to the application-level {@code {}} ping push. Time during which the server paused reading
 * (back-pressure, {@link WebSocketTransport#readPaused}) does not count: the pongs are there, unread.
 *
 * <p>Sits before {@link WebSocketControlHandler} so it sees pongs. Not sharable; event-loop only.
 */
public final class WebSocketKeepAlive extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketKeepAlive.class);

    private final WebSocketTransport transport;
    private final long intervalNanos;
    private final long pongWaitNanos;
    private long lastReadNanos;
    private ScheduledFuture<?> ticks;

    public WebSocketKeepAlive(WebSocketTransport transport, Duration interval) {
        this.transport = transport;
        this.intervalNanos = interval.toNanos();
        this.pongWaitNanos = intervalNanos / 9 * 10;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastReadNanos = System.nanoTime();
        if (intervalNanos > 0) {
            ticks = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), intervalNanos, intervalNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    private void tick(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || transport.isClosing()) {
            stop();
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // The server paused reading (back-pressure): the silence is ours, the client's pongs wait unread.
            lastReadNanos = System.nanoTime();
        } else if (System.nanoTime() - lastReadNanos > pongWaitNanos) {
            log.info("closing {} from {}: no pong to WebSocket pings", transport.name(), transport.remoteAddress());
            stop();
            transport.close(DisconnectCode.NO_PONG.disconnect());
            return;
        }
        ctx.writeAndFlush(new PingWebSocketFrame());
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }
}
