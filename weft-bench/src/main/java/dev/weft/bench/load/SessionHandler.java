package dev.weft.bench.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.concurrent.atomic.LongAdder;

/** Bridges one WebSocket connection's events to its {@link ClientSession}. */
final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private final ClientSession session;
    private final LongAdder lost;

    SessionHandler(ClientSession session, LongAdder lost) {
        this.session = session;
        this.lost = lost;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            session.opened();
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            session.fail("WebSocket handshake timed out");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            session.received(frame.content(), frame instanceof TextWebSocketFrame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!session.closedByUs()) {
            lost.increment();
        }
        session.fail("connection closed");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.fail(String.valueOf(cause));
        ctx.close();
    }
}
