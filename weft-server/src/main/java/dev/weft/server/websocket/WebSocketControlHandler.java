package dev.weft.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * WebSocket control frames: answers pings with pongs (the protocol's own liveness check is the engine's
 * application-level {@code {}} ping, but RFC 6455 requires the answer), drops pongs, and hands close frames
 * to the transport's closing handshake. Data frames pass on.
 *
 * <p>Not sharable (holds its transport); event-loop only.
 */
public final class WebSocketControlHandler extends ChannelInboundHandlerAdapter {
    private final WebSocketTransport transport;

    public WebSocketControlHandler(WebSocketTransport transport) {
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case PingWebSocketFrame ping -> {
                if (transport.isClosing()) {
                    ping.release();
                } else {
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
                }
            }
            case PongWebSocketFrame pong -> pong.release();
            case CloseWebSocketFrame close -> transport.peerClosed(close);
            default -> ctx.fireChannelRead(msg);
        }
    }
}
