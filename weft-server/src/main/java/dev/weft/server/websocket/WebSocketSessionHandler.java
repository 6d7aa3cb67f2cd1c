package dev.weft.server.websocket;

import dev.weft.core.limits.LogThrottle;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.Disconnect;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * Bridges a WebSocket connection to its engine session: opens the session when added, hands every complete
 * text or binary message over as bytes (copied out, buffer released), reports the connection's end once, and
 * turns frame errors into close codes — a message over the size limit closes with 1009 "message too big",
 * other protocol violations with the decoder's status.
 *
 * <p>Not sharable; event-loop only.
 */
public final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);
    /** Any client can send frames RFC 6455 forbids, as often as it reconnects: a line a second for the node. */
    private static final LogThrottle PROTOCOL_VIOLATION_LOG = new LogThrottle(Duration.ofSeconds(1));

    private final WebSocketTransport transport;
    private final SessionFactory sessions;
    private final int messageSizeLimit;
    private final String limitOption;
    private final LogThrottle oversizeLog;
    private SessionFactory.Session session;

    /**
     * @param messageSizeLimit for the log line when a client exceeds it, with {@code limitOption} (the option
     *                         setting it), throttled by {@code oversizeLog} (shared by the endpoint's connections)
     */
    public WebSocketSessionHandler(WebSocketTransport transport, SessionFactory sessions, int messageSizeLimit,
                                   String limitOption, LogThrottle oversizeLog) {
        this.transport = transport;
        this.sessions = sessions;
        this.messageSizeLimit = messageSizeLimit;
        this.limitOption = limitOption;
        this.oversizeLog = oversizeLog;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        try {
            session = sessions.open(transport);
        } catch (RuntimeException e) {
            log.error("could not start a session for WebSocket from {}", transport.remoteAddress(), e);
            transport.close(DisconnectCode.SERVER_ERROR.disconnect());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TextWebSocketFrame) && !(msg instanceof BinaryWebSocketFrame)) {
            ReferenceCountUtil.release(msg); // a stray continuation frame; the aggregator handles real ones
            return;
        }
        byte[] frame;
        try {
            frame = ByteBufUtil.getBytes(((ByteBufHolder) msg).content());
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (session != null && !transport.isClosing()) {
            session.handleFrame(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SessionFactory.Session s = session;
        session = null;
        if (s != null) {
            s.handleTransportClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || (cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())) {
            long leftOut = oversizeLog.admit();
            if (leftOut >= 0) {
                log.info("closing {} from {}: message larger than {} bytes ({}){}", transport.name(),
                        transport.remoteAddress(), messageSizeLimit, limitOption,
                        leftOut > 0 ? "; " + leftOut + " more such closes since the last line" : "");
            }
            sessions.refusals().disconnected(DisconnectCode.MESSAGE_SIZE_LIMIT.disconnect());
            transport.close(DisconnectCode.MESSAGE_SIZE_LIMIT.disconnect());
        } else if (cause instanceof CorruptedWebSocketFrameException c) {
            long leftOut = PROTOCOL_VIOLATION_LOG.admit();
            if (leftOut >= 0) {
                log.info("closing WebSocket from {}: protocol violation: {}{}", transport.remoteAddress(),
                        c.getMessage(), leftOut > 0 ? "; " + leftOut + " more such closes since the last line" : "");
            }
            transport.close(new Disconnect(c.closeStatus().code(), c.closeStatus().reasonText(), false));
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // The peer went away (or was closed for a protocol violation) in the middle of a fragmented message:
            // the frame aggregator reports the fragments it drops. The client's doing, nothing to warn about.
            log.debug("WebSocket from {} failed: {}", transport.remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("WebSocket from {} failed", transport.remoteAddress(), cause);
            transport.close(DisconnectCode.SERVER_ERROR.disconnect());
        }
    }
}
