package dev.weft.bench.ceiling;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling: the least a WebSocket fan-out server can do on this machine. Subscribers name their channels
 * in the URL ({@code /?c=a,b}); a text message {@code "<channel> <payload>"} from anyone is framed once as
 * a WebSocket text frame and that same buffer is written to every socket of the channel. No protocol, no
 * per-subscriber state beyond Netty's own. Run as its own process so its CPU can be read from /proc:
 * {@code java -cp … dev.weft.bench.ceiling.CeilingServer <port>}.
 */
public final class CeilingServer {

    private final Map<String, ChannelGroup> channels = new ConcurrentHashMap<>();

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        new CeilingServer().run(port);
    }

    private void run(int port) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler("/", null, false, 1 << 16, false, true),
                                new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        System.out.println("ceiling listening on " + port + (epoll ? " (epoll)" : " (nio)"));
        server.closeFuture().sync();
    }

    /** The whole WebSocket frame (header + payload) of a server text message: encoded once per publish. */
    static ByteBuf textFrame(ByteBuf payload) {
        int length = payload.readableBytes();
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = payload.alloc().directBuffer(header + length);
        frame.writeByte(0x81);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(payload, payload.readerIndex(), length);
    }

    private final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof HandshakeComplete handshake) {
                List<String> names = new QueryStringDecoder(handshake.requestUri()).parameters()
                        .getOrDefault("c", List.of());
                for (String list : names) {
                    for (String name : list.split(",")) {
                        if (!name.isEmpty()) {
                            channels.computeIfAbsent(name,
                                    n -> new DefaultChannelGroup(n, GlobalEventExecutor.INSTANCE)).add(ctx.channel());
                        }
                    }
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
            ByteBuf content = msg.content();
            int space = ByteBufUtil.indexOf(content, content.readerIndex(), content.writerIndex(), (byte) ' ');
            if (space < 0) {
                return;
            }
            String name = content.toString(content.readerIndex(), space - content.readerIndex(),
                    StandardCharsets.US_ASCII);
            ChannelGroup group = channels.get(name);
            if (group == null) {
                return;
            }
            ByteBuf frame = textFrame(content.slice(space + 1, content.writerIndex() - space - 1));
            try {
                // A retained duplicate of the same buffer to every member, with void promises (no futures).
                group.writeAndFlush(frame.retain(), ChannelMatchers.all(), true);
            } finally {
                frame.release();
            }
        }
    }
}
