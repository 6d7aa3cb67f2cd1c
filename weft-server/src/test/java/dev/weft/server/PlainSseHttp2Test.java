package dev.weft.server;

import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.PlainSseConfig;
import dev.weft.server.config.TlsConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.server.sse.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain SSE over TLS with ALPN {@code h2}: a browser's many {@code /sse} streams share one connection (past
 * HTTP/1.1's six per host), each stream is its own HTTP/2 stream with its own heartbeat, and a dropped stream
 * resumes with {@code Last-Event-ID} while the others carry on.
 */
class PlainSseHttp2Test {
    private static final int STREAMS = 20;

    @TempDir
    Path certDir;
    private WeftServer server;
    private HttpClient http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void twentyStreamsShareOneConnectionAndADroppedOneResumes() throws Exception {
        TestCertificate certificate = TestCertificate.create(certDir, "EC");
        ChannelOptions history = ChannelOptions.builder().historySize(100).historyTtl(Duration.ofSeconds(300))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT
                        .withClient(ClientOptions.builder().allowAnonymousConnectWithoutToken(true).build())
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(history, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0, new TlsConfig(true,
                        certificate.certPem().toString(), certificate.keyPem().toString()), false))
                .withPlainSse(new PlainSseConfig(true, Duration.ofMillis(200), Duration.ofMillis(100))));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(certificate.clientContext())
                .build();
        String url = "https://localhost:" + server.port() + "/sse/news";

        List<SseTestClient> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            SseTestClient sse = SseTestClient.open(http, url, Map.of());
            assertThat(sse.response().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(sse.next().retry()).isEqualTo(100);
            assertThat(sse.next().event()).isEqualTo("subscribed");
            streams.add(sse);
        }
        Set<String> peers = server.node().internalsForTests().hub().members().stream().map(s -> s.transport().remoteAddress())
                .collect(Collectors.toSet());
        assertThat(peers).as("one TCP connection").hasSize(1);
        assertThat(streams.getFirst().next().isHeartbeat()).as("heartbeats per HTTP/2 stream").isTrue();

        publish("{\"n\":1}");
        String lastId = null;
        for (SseTestClient sse : streams) {
            lastId = sse.publications(1).getFirst().id();
        }

        server.node().internalsForTests().hub().members().stream().findFirst().orElseThrow()
                .disconnect(DisconnectCode.FORCE_RECONNECT.disconnect());
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == STREAMS - 1);
        publish("{\"n\":2}");
        publish("{\"n\":3}");
        try (SseTestClient resumed = SseTestClient.open(http, url, Map.of("Last-Event-ID", lastId))) {
            assertThat(resumed.publications(2)).extracting(SseTestClient.Block::data)
                    .containsExactly("{\"n\":2}", "{\"n\":3}");
        }
        for (SseTestClient sse : streams) {
            sse.close();
        }
        await().until(() -> server.node().internalsForTests().hub().subscriberCount("news") == 0);
    }

    private void publish(String json) {
        server.node().publish("news", json.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }
}
