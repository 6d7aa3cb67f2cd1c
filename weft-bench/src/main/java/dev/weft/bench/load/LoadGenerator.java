package dev.weft.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The one load generator every target is measured with: Netty WebSocket clients, many per event loop
 * (epoll where available), spread over several 127.0.0.x source addresses so one machine can open more
 * connections than one address has ephemeral ports.
 */
public final class LoadGenerator implements AutoCloseable {

    /** Source addresses 127.0.0.2 … 127.0.0.(1 + SOURCE_ADDRESSES). */
    public static final int SOURCE_ADDRESSES = 8;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final LongAdder lost = new LongAdder();
    private final boolean epoll;
    private int nextSource;

    public LoadGenerator(int threads) {
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        if (epoll) {
            // Choose the port at connect time, so a source address's ports are shared across destinations.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    public boolean epoll() {
        return epoll;
    }

    /** Connections that closed without the generator asking (server disconnects, resets). */
    public long lost() {
        return lost.sum();
    }

    /** Starts connecting {@code session} to the WebSocket at {@code uri}; watch {@link ClientSession#ready()}. */
    public ClientSession connect(URI uri, ClientSession session) {
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (2 + (nextSource++ % SOURCE_ADDRESSES)), 0);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                session.attach(ch);
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri)
                                .maxFramePayloadLength(1 << 20)
                                .handshakeTimeoutMillis(60_000)
                                .dropPongFrames(true)
                                .generateOriginHeader(false)
                                .build()),
                        new WebSocketFrameAggregator(1 << 20),
                        new SessionHandler(session, lost));
            }
        });
        session.connecting();
        ChannelFuture future = b.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                session.fail("connect failed: " + f.cause());
            }
        });
        return session;
    }

    /**
     * Opens {@code count} sessions with at most {@code inFlight} handshakes under way, and waits until all
     * are ready.
     *
     * @throws TimeoutException if they are not ready within {@code timeoutMillis}
     */
    public List<ClientSession> openAll(int count, int inFlight, IntFunction<URI> uri,
                                       IntFunction<ClientSession> session, Progress progress,
                                       long timeoutMillis) throws Exception {
        List<ClientSession> sessions = new ArrayList<>(count);
        Semaphore permits = new Semaphore(inFlight);
        LongAdder readyCount = new LongAdder();
        List<CompletableFuture<Void>> all = new ArrayList<>(count);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < count; i++) {
            if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("connections not ready in time: " + readyCount.sum() + "/" + count);
            }
            ClientSession s = connect(uri.apply(i), session.apply(i));
            sessions.add(s);
            all.add(s.ready().whenComplete((v, e) -> {
                permits.release();
                if (e == null) {
                    readyCount.increment();
                }
            }));
            progress.update("connecting " + readyCount.sum() + "/" + count);
        }
        CompletableFuture<Void> every = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        while (!every.isDone()) {
            progress.update("connecting " + readyCount.sum() + "/" + count);
            try {
                every.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("connections not ready in time: " + readyCount.sum() + "/" + count);
                }
            }
        }
        every.join();
        return sessions;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
