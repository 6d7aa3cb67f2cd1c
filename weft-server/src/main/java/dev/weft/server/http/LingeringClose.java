package dev.weft.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.buffer.ByteBuf;

import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.1 connection after a last response the way web servers do ("lingering close"): the
 * response is followed by a FIN, and what the client still sends — the rest of a body that was refused with
 * 413, requests pipelined behind a 400 — is read and dropped, at most {@value #MAX_BYTES} bytes or
 * {@value #MAX_MILLIS} ms, before the socket is closed. Closing at once with unread bytes makes the kernel
 * answer with a reset, and a client that is still sending then loses the response it has not read yet.
 * HTTP/2 streams simply close: the stream is reset, the connection goes on.
 *
 * <p>Not sharable; event loop only.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final long MAX_MILLIS = 2_000;

    private long dropped;

    private LingeringClose() {
    }

    /** Once {@code written} (the last response) is flushed, ends its connection as described above. */
    static void after(ChannelFuture written) {
        written.addListener(f -> {
            Channel channel = written.channel();
            if (!f.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
                channel.close();
                return;
            }
            // First in the pipeline: bytes are dropped before any decoder (or TLS) sees them.
            channel.pipeline().addFirst("lingering-close", new LingeringClose());
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, MAX_MILLIS, TimeUnit.MILLISECONDS);
            channel.config().setAutoRead(true);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            dropped += bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (dropped > MAX_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
        // Only the client's FIN ends the wait. Our own shutdownOutput fires ChannelOutputShutdownEvent: closing
        // on it would close with the client's bytes unread, and the reset could destroy the response before
        // the client has read it.
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
