package dev.weft.server;

import dev.weft.core.ClientOptions;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.TlsConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2ClientUpgradeCodec;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: hold HTTP/2 connections and streams open for nothing — a connection that never opens a stream, or
 * many streams whose request bodies never end (each holding up to the body limit in memory). Defence, as on
 * HTTP/1.1: a connection without streams is closed (GOAWAY) after {@code http_server.idle_timeout}, a stream
 * whose request is not complete within {@code client.stale_close_delay} is reset, and at most
 * {@code http_server.http2.max_concurrent_streams} streams are open at once (advertised in SETTINGS, extra
 * streams refused). Over h2c (prior knowledge and {@code Upgrade: h2c}) and TLS with ALPN {@code h2}, with Netty's HTTP/2 client.
 */
class Http2DeadlinesTest {
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration REQUEST = Duration.ofMillis(400);

    private WeftServer server;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void start(int maxStreams) {
        start(maxStreams, REQUEST, IDLE);
    }

    private void start(int maxStreams, Duration requestDeadline, Duration idle) {
        server = TestServers.start(ClientOptions.builder().staleCloseDelay(requestDeadline), c -> c.withHttpServer(
                new HttpServerConfig("127.0.0.1", 0).withH2cExternal(true).withIdleTimeout(idle)
                        .withHttp2MaxConcurrentStreams(maxStreams)));
    }

    /** A prior-knowledge h2c connection; connection-level frames (SETTINGS, GOAWAY) land in {@code frames}. */
    private Channel connect(BlockingQueue<Object> frames) {
        return connect(frames, null);
    }

    /** Over TLS with ALPN {@code h2} when {@code tls} is given, else h2c by prior knowledge. */
    private Channel connect(BlockingQueue<Object> frames, SslContext tls) {
        return connect(frames, tls, true);
    }

    /** With {@code ackSettings} false the client never acknowledges the server's SETTINGS. */
    private Channel connect(BlockingQueue<Object> frames, SslContext tls, boolean ackSettings) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), "localhost", server.port()));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().autoAckSettingsFrame(ackSettings).build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        frames.add(msg);
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                }).connect("127.0.0.1", server.port()).syncUninterruptibly().channel();
    }

    /** Opens a stream and sends a POST head with a few body bytes, never ending the body. */
    private static Http2StreamChannel halfSentPost(Channel connection, BlockingQueue<Object> streamEvents) {
        return halfSentPost(connection, streamEvents, true);
    }

    /** With {@code withBody} false only the head is sent (the stream waits for its body). */
    private static Http2StreamChannel halfSentPost(Channel connection, BlockingQueue<Object> streamEvents,
                                                   boolean withBody) {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        streamEvents.add(msg);
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        streamEvents.add(evt);
                    }
                }).open().syncUninterruptibly().getNow();
        var head = stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST")
                .path("/api/publish").scheme("http").authority("127.0.0.1"), false));
        if (!withBody) {
            head.syncUninterruptibly();
            return stream;
        }
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("{\"chan", StandardCharsets.UTF_8),
                false)).syncUninterruptibly();
        return stream;
    }

    @Test
    void aConnectionWithoutStreamsIsClosedWithGoAwayAfterTheIdleTimeout() throws Exception {
        start(250);
        BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        Channel connection = connect(frames);
        long started = System.nanoTime();
        Object frame;
        do {
            frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("GOAWAY within 5 s").isNotNull();
        } while (!(frame instanceof Http2GoAwayFrame));
        assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).as("connection closed").isTrue();
        System.out.printf("idle h2c connection: GOAWAY after %d ms (idle_timeout %d ms)%n",
                (System.nanoTime() - started) / 1_000_000, IDLE.toMillis());
        assertThat(server.refusals().count("http.request_timeout")).isEqualTo(1);
    }

    @Test
    void afterUpgradeH2cAConnectionWithoutStreamsIsClosedToo() throws Exception {
        start(250);
        BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HttpClientCodec http1 = new HttpClientCodec();
                        Http2ClientUpgradeCodec h2c = new Http2ClientUpgradeCodec(
                                (Http2ConnectionHandler) Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter(), new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ReferenceCountUtil.release(msg); // the answer to the upgrade request
                                    }
                                }));
                        ch.pipeline().addLast(http1, new HttpClientUpgradeHandler(http1, h2c, 65_536),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        frames.add(msg);
                                        ReferenceCountUtil.release(msg);
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        frames.add(evt);
                                    }
                                });
                    }
                }).connect("127.0.0.1", server.port()).syncUninterruptibly().channel();
        connection.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health",
                Unpooled.EMPTY_BUFFER)).syncUninterruptibly();
        Object frame;
        do {
            frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("GOAWAY within 5 s").isNotNull();
            assertThat(frame).isNotEqualTo(HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_REJECTED);
        } while (!(frame instanceof Http2GoAwayFrame));
        assertThat(frames).doesNotContain(HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_REJECTED);
        assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).as("connection closed").isTrue();
    }

    @Test
    void overTlsWithAlpnH2AConnectionWithoutStreamsIsClosedToo(@TempDir Path certDir) throws Exception {
        TestCertificate certificate = TestCertificate.create(certDir, "EC");
        server = TestServers.start(ClientOptions.builder().staleCloseDelay(REQUEST), c -> c.withHttpServer(
                new HttpServerConfig("127.0.0.1", 0, new TlsConfig(true, certificate.certPem().toString(),
                        certificate.keyPem().toString()), false).withIdleTimeout(IDLE)));
        SslContext tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2)).build();
        BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        Channel connection = connect(frames, tls);
        Object frame;
        do {
            frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("GOAWAY within 5 s").isNotNull();
        } while (!(frame instanceof Http2GoAwayFrame));
        assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).as("connection closed").isTrue();
    }

    @Test
    void aStreamWhoseBodyNeverCompletesIsResetAfterTheDeadlineAndTheConnectionStaysUsable() throws Exception {
        start(250);
        Channel connection = connect(new LinkedBlockingQueue<>());
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Http2StreamChannel stream = halfSentPost(connection, events);
        assertThat(stream.closeFuture().await(5, TimeUnit.SECONDS)).as("stream reset within 5 s").isTrue();
        assertThat(events).anyMatch(e -> e instanceof Http2ResetFrame);
        assertThat(server.refusals().count("http.request_timeout")).isEqualTo(1);
        assertThat(connection.isActive()).as("only the stream ends").isTrue();

        BlockingQueue<Object> health = new LinkedBlockingQueue<>();
        Http2StreamChannel get = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        health.add(msg);
                        ReferenceCountUtil.release(msg);
                    }
                }).open().syncUninterruptibly().getNow();
        get.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path("/health")
                .scheme("http").authority("127.0.0.1"), true));
        Object head = health.poll(5, TimeUnit.SECONDS);
        assertThat(head).isInstanceOf(Http2HeadersFrame.class);
        assertThat(((Http2HeadersFrame) head).headers().status().toString()).isEqualTo("200");
    }

    @Test
    void maxConcurrentStreamsIsAdvertisedAndExtraStreamsAreRefused() throws Exception {
        maxConcurrentStreamsEnforced(true);
    }

    @Test
    void maxConcurrentStreamsHoldsForAClientThatNeverAcknowledgesTheSettings() throws Exception {
        maxConcurrentStreamsEnforced(false);
    }

    private void maxConcurrentStreamsEnforced(boolean ackSettings) throws Exception {
        int max = 3;
        // Streams within the limit, and the connection before they open, stay for the whole test.
        start(max, Duration.ofSeconds(30), Duration.ofSeconds(30));
        BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        Channel connection = connect(frames, null, ackSettings);
        Http2SettingsFrame settings = null;
        while (settings == null) {
            Object frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("server SETTINGS").isNotNull();
            if (frame instanceof Http2SettingsFrame s) {
                settings = s;
            }
        }
        assertThat(settings.settings().maxConcurrentStreams()).isEqualTo(max);
        // The client would queue streams beyond the limit itself; lift that to see what the server does.
        Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
        CompletableFuture<Void> lifted = new CompletableFuture<>();
        connection.eventLoop().execute(() -> {
            codec.connection().local().maxActiveStreams(100);
            lifted.complete(null);
        });
        lifted.get(5, TimeUnit.SECONDS);

        List<Http2StreamChannel> streams = new ArrayList<>();
        List<BlockingQueue<Object>> events = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            BlockingQueue<Object> e = new LinkedBlockingQueue<>();
            events.add(e);
            // Heads only: DATA on a stream the server refused before creating it is a connection error for
            // Netty (it never saw the stream), which would end the streams within the limit too.
            streams.add(halfSentPost(connection, e, false));
        }
        Http2StreamChannel extra = streams.get(max);
        assertThat(extra.closeFuture().await(5, TimeUnit.SECONDS))
                .as("the stream beyond the limit is refused").isTrue();
        assertThat(events.get(max)).anyMatch(e -> e instanceof Http2ResetFrame);
        for (int i = 0; i < max; i++) {
            assertThat(streams.get(i).isActive()).as("stream %d within the limit is still open", i).isTrue();
        }
    }
}
