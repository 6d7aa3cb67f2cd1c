package dev.weft.bench.ceiling;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ceiling: the least a WebSocket fan-out server can do on this machine. Subscribers name their channels
 * in the URL ({@code /?c=a,b}); a text message {@code "<channel> <payload>"} from anyone is framed once as
 * a WebSocket text frame and that same buffer is written to every socket of the channel, one task per event
 * loop. No protocol, no per-subscriber state beyond Netty's own. Run as its own process so its CPU can be read from /proc:
 * {@code java -cp … dev.weft.bench.ceiling.CeilingServer <port>}.
 */
public final class CeilingServer {

    /**
     * Channel name → event loop → that loop's members. Each socket list is touched only on its own loop
     * (sockets join on their loop at the handshake and leave on it at close).
     */
    private final Map<String, Map<EventLoop, Members>> channels = new ConcurrentHashMap<>();

    /**
     * One channel's sockets on one event loop, and the frames published to them not yet written. Publishing
     * queues the frame and schedules at most one drain task; the drain writes every queued frame to every
     * socket and flushes each socket once, so a loop that falls behind writes several frames per syscall.
     */
    private static final class Members {
        private final EventLoop loop;
        private final List<Channel> sockets = new ArrayList<>(); // event-loop only
        private final Queue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Members(EventLoop loop) {
            this.loop = loop;
        }

        /** Takes ownership of one reference of {@code frame}. */
        void publish(ByteBuf frame) {
            pending.add(frame);
            if (scheduled.compareAndSet(false, true)) {
                loop.execute(this::drain);
            }
        }

        private void drain() {
            scheduled.set(false);
            List<ByteBuf> frames = new ArrayList<>();
            for (ByteBuf f; (f = pending.poll()) != null; ) {
                frames.add(f);
            }
            try {
                for (Channel socket : sockets) {
                    for (ByteBuf frame : frames) {
                        socket.write(frame.retainedDuplicate(), socket.voidPromise());
                    }
                    socket.flush();
                }
            } finally {
                frames.forEach(ByteBuf::release);
            }
        }
    }

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

    /** Adds {@code member} to {@code name}; runs on the member's event loop, as its removal at close does. */
    private void join(String name, Channel member) {
        EventLoop loop = member.eventLoop();
        Members local = channels.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(loop, Members::new);
        local.sockets.add(member);
        member.closeFuture().addListener(f -> local.sockets.remove(member));
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
                            join(name, ctx.channel());
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
            Map<EventLoop, Members> members = channels.get(name);
            if (members == null) {
                return;
            }
            ByteBuf frame = textFrame(content.slice(space + 1, content.writerIndex() - space - 1));
            try {
                for (Members loop : members.values()) {
                    loop.publish(frame.retain());
                }
            } finally {
                frame.release();
            }
        }
    }
}
