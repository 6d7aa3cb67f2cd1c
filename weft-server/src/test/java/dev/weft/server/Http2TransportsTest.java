package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.transport.Transport;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.TlsConfig;
import dev.weft.server.config.UniConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2: over TLS (ALPN {@code h2}) a client holds many one-way SSE streams on one connection — 20 here, each
 * receiving every publication — and cleartext h2c works by {@code Upgrade: h2c} (the JDK client) and by prior
 * knowledge (a Netty client), while HTTP/1.1 and WebSocket keep working on the same port.
 */
class Http2TransportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = UniTransportsTest.SECRET;
    private static final String KEY = "h2-api-key";
    private static final int STREAMS = 20;

    @TempDir
    static Path certDir;
    private static TestCertificate certificate;

    private WeftServer server;
    private HttpClient http;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.create(certDir, "EC");
    }

    private WeftServer start(HttpServerConfig httpServer) {
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(SECRET).build();
        WeftConfig config = WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client).withChannels(ChannelConfig.DEFAULT.withNamespaces(
                        ChannelOptions.builder().allowSubscribeForClient(true).build(), List.of())))
                .withHttpServer(httpServer)
                .withHttpApi(new HttpApiConfig(KEY, false))
                .withUni(UniConfig.DEFAULT.withSse(UniConfig.DEFAULT.sse().withEnabled(true))
                        .withWebsocket(UniConfig.DEFAULT.websocket().withEnabled(true)));
        server = WeftServer.start(config);
        return server;
    }

    private WeftServer startTls() {
        return start(new HttpServerConfig("127.0.0.1", 0, new TlsConfig(true, certificate.certPem().toString(),
                certificate.keyPem().toString()), false));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        if (http != null) {
            http.close();
        }
    }

    private static String cfConnect(String user) {
        String connect = "{\"token\":\"" + UniTransportsTest.token(user, Map.of()) + "\",\"subs\":{\"news\":{}}}";
        return "/connection/uni_sse?cf_connect=" + URLEncoder.encode(connect, StandardCharsets.UTF_8);
    }

    private void publish(String base, String data) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/publish")).header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"news\",\"data\":" + data + "}")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** The next non-ping push of an SSE stream. */
    private static JsonNode nextPush(HttpLines lines) throws Exception {
        while (true) {
            String line = lines.next();
            if (line.startsWith("data: ") && !line.equals("data: {}")) {
                return JSON.readTree(line.substring(6));
            }
        }
    }

    @Test
    void twentySseStreamsShareOneTlsHttp2ConnectionAndAllReceiveEveryPublication() throws Exception {
        startTls();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(certificate.clientContext())
                .build();
        String base = "https://localhost:" + server.port();
        var health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), BodyHandlers.ofString());
        assertThat(health.version()).as("ALPN chose h2").isEqualTo(HttpClient.Version.HTTP_2);

        List<HttpLines> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(HttpLines.open(http, HttpRequest.newBuilder(URI.create(base + cfConnect("u" + i))).build()));
        }
        for (HttpLines s : streams) {
            assertThat(s.response().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(s.response().statusCode()).isEqualTo(200);
            assertThat(s.response().headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(nextPush(s).has("connect")).isTrue();
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == STREAMS);
        Set<String> peers = server.node().internalsForTests().hub().members().stream().map(s -> s.transport().remoteAddress())
                .collect(Collectors.toSet());
        assertThat(peers).as("every stream came over the same TCP connection").hasSize(1);

        for (int n = 1; n <= 3; n++) {
            publish(base, "{\"n\":" + n + "}");
        }
        for (HttpLines s : streams) {
            for (int n = 1; n <= 3; n++) {
                JsonNode pub = nextPush(s);
                assertThat(pub.get("channel").asText()).isEqualTo("news");
                assertThat(pub.get("pub").get("data").get("n").asInt()).isEqualTo(n);
            }
        }

        for (HttpLines s : streams.subList(0, 10)) {
            s.close(); // RST_STREAM for that stream only
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == STREAMS - 10);
        publish(base, "{\"n\":4}");
        for (HttpLines s : streams.subList(10, STREAMS)) {
            assertThat(nextPush(s).get("pub").get("data").get("n").asInt())
                    .as("the other streams of the connection carry on").isEqualTo(4);
        }
        for (HttpLines s : streams.subList(10, STREAMS)) {
            s.close();
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 0 && server.node().connectionCount() == 0);
    }

    @Test
    void aTlsConfigurationThatCannotWorkStopsTheStartWithTheReason() {
        HttpServerConfig swapped = new HttpServerConfig("127.0.0.1", 0, new TlsConfig(true,
                certificate.keyPem().toString(), certificate.certPem().toString()), false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(swapped))
                .hasMessageContaining("http_server.tls.cert_pem: no CERTIFICATE block");
    }

    @Test
    void tlsStillServesHttp11AndWebSocketByAlpn() throws Exception {
        startTls();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(certificate.clientContext())
                .build();
        String base = "https://localhost:" + server.port();
        try (HttpLines stream = HttpLines.open(http, HttpRequest.newBuilder(URI.create(base + cfConnect("a"))).build())) {
            assertThat(stream.response().version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(nextPush(stream).has("connect")).isTrue();
        }
        String connect = URLEncoder.encode("{\"token\":\"" + UniTransportsTest.token("w", Map.of()) + "\"}",
                StandardCharsets.UTF_8);
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        var ws = http.newWebSocketBuilder().buildAsync(URI.create("wss://localhost:" + server.port()
                + "/connection/uni_websocket?cf_connect=" + connect), new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
                                                                  boolean last) {
                messages.add(data.toString());
                socket.request(1);
                return null;
            }
        }).join();
        assertThat(messages.poll(10, TimeUnit.SECONDS)).startsWith("{\"connect\":");
        ws.abort();
    }

    @Test
    void h2cUpgradeCarriesStreamsAndHttp11AndWebSocketStillWork() throws Exception {
        start(new HttpServerConfig("127.0.0.1", 0).withH2cExternal(true));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String base = "http://127.0.0.1:" + server.port();
        var health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), BodyHandlers.ofString());
        assertThat(health.version()).as("upgraded with Upgrade: h2c").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(health.body()).isEqualTo("{}");

        try (HttpLines stream = HttpLines.open(http, HttpRequest.newBuilder(URI.create(base + cfConnect("a"))).build())) {
            assertThat(stream.response().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(nextPush(stream).has("connect")).isTrue();
            publish(base, "{\"n\":1}");
            assertThat(nextPush(stream).get("pub").get("data").get("n").asInt()).isEqualTo(1);
        }

        try (RawHttpStream plain = RawHttpStream.open(server.port(), "GET", cfConnect("b"), null)) {
            assertThat(plain.status()).as("HTTP/1.1 without upgrade").isEqualTo(200);
            assertThat(plain.nextLine()).startsWith("data: {\"connect\":");
        }
        String connect = URLEncoder.encode("{\"token\":\"" + UniTransportsTest.token("w", Map.of()) + "\"}",
                StandardCharsets.UTF_8);
        try (TestWebSocket ws = TestWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port()
                + "/connection/uni_websocket?cf_connect=" + connect))) {
            assertThat(ws.next()).startsWith("{\"connect\":");
        }
    }

    @Test
    void h2cByPriorKnowledge() throws Exception {
        start(new HttpServerConfig("127.0.0.1", 0).withH2cExternal(true));
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    })
                    .connect("127.0.0.1", server.port()).sync().channel();
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                    new ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            if (msg instanceof HttpResponse head) {
                                                received.add(head.status().code());
                                            }
                                            if (msg instanceof HttpContent content) {
                                                received.add(content.content().toString(StandardCharsets.UTF_8));
                                            }
                                            ReferenceCountUtil.release(msg);
                                        }
                                    });
                        }
                    }).open().sync().getNow();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, cfConnect("p"));
            request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + server.port());
            stream.writeAndFlush(request).sync();

            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat((String) received.poll(10, TimeUnit.SECONDS)).startsWith("data: {\"connect\":");
            Transport transport = await().until(() -> server.node().internalsForTests().hub().members().stream().findFirst()
                    .map(s -> s.transport()).orElse(null), t -> t != null);
            assertThat(transport.toString()).contains("h2");
            stream.close().sync();
            await().until(() -> server.node().connectionCount() == 0);
            connection.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
