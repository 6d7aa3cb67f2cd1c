package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.PlainSseConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static dev.weft.interop.NodeScript.longs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain SSE ({@code /sse/<channel>}) with clients nobody wrote for Weft: the {@code eventsource} npm package
 * and headless Chromium's own {@code EventSource}, driven by playwright-core with the system browser
 * ({@code /usr/bin/chromium}, installed by {@code .ci/run}). While publications flow, the server drops the
 * streams (a scenario prints {@code drop_me} with its channel; this class ends that channel's SSE sessions
 * with 3011); the clients must come back by themselves and miss nothing.
 *
 * <p>Like {@link NodeSdkInteropTest}, each scenario checks itself and this class checks its result lines
 * again.
 */
class SseInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of(System.getProperty("weft.interop.chromium", "/usr/bin/chromium"));

    private static InteropServer server;

    /**
     * Channels without namespace keep 1 000 publications and may be read anonymously (a page's
     * {@code new EventSource('/sse/news')} carries no token); {@code tiny:} keeps 5, for resets. The retry
     * hint is short so reconnects are quick, and the heartbeat every second.
     */
    static WeftConfig sseConfig() {
        ChannelOptions open = ChannelOptions.builder().historySize(1000).historyTtl(Duration.ofSeconds(300))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(open,
                List.of(new Namespace("tiny", open.toBuilder().historySize(5).build())));
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(InteropServer.HMAC_SECRET)
                .allowAnonymousConnectWithoutToken(true).build();
        return WeftConfig.DEFAULT
                .withNode(NodeConfig.DEFAULT.withClient(client).withChannels(channels))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(InteropServer.API_KEY, false))
                .withPlainSse(new PlainSseConfig(true, Duration.ofSeconds(1), Duration.ofMillis(200)));
    }

    @BeforeAll
    static void startServer() throws Exception {
        NodeScript.ensureInstalled();
        server = InteropServer.start(sseConfig());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eventsourcePackageResumesAfterDropsAndLearnsAboutResets() throws Exception {
        NodeScript.Result run = runScenario("sse-eventsource.mjs", Map.of());

        JsonNode raw = run.requireEvent("raw");
        assertThat(raw.path("contentType").asText()).startsWith("text/event-stream");
        assertThat(raw.path("cacheControl").asText()).contains("no-cache");
        assertThat(raw.path("accelBuffering").asText()).isEqualTo("no");
        assertThat(raw.path("retry").asLong()).isEqualTo(200);
        assertThat(raw.path("heartbeat").asBoolean()).isTrue();

        JsonNode resume = run.requireEvent("resume");
        assertThat(longs(resume.path("seqs"))).as("every publication once, in order")
                .isEqualTo(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(longs(resume.path("offsets"))).isEqualTo(longs(resume.path("publishedOffsets")));
        assertThat(resume.path("opens").asInt()).isEqualTo(3);
        assertThat(resume.path("disconnects").size()).isEqualTo(2);
        assertThat(resume.path("resets").asInt()).isZero();
        assertThat(resume.path("lastPublicationId").asText()).endsWith("/" + longs(resume.path("offsets")).getLast());

        JsonNode reset = run.requireEvent("reset");
        assertThat(reset.path("resets").size()).isEqualTo(1);
        assertThat(reset.path("publications").size()).as("only the live one after the reset").isEqualTo(1);
        assertThat(reset.path("liveOffset").asLong()).isEqualTo(reset.path("top").asLong() + 1);
        run.requireEvent("done");
    }

    @Test
    void chromiumsEventSourceReconnectsByItselfAndShowsEveryPublicationOnce() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: install it with `apt-get install -y chromium` (.ci/run does)", CHROMIUM).isTrue();
        Path screenshot = targetDir().resolve("sse-chromium.png");
        Files.deleteIfExists(screenshot);

        NodeScript.Result run = runScenario("sse-chromium.mjs", Map.of(
                "WEFT_SCREENSHOT", screenshot.toString(), "WEFT_CHROMIUM", CHROMIUM.toString()));

        JsonNode page = run.requireEvent("chromium");
        assertThat(page.path("userAgent").asText()).contains("HeadlessChrome");
        assertThat(longs(page.path("seqs"))).as("the page shows every publication once, in order")
                .isEqualTo(LongStream.rangeClosed(1, 60).boxed().toList());
        assertThat(longs(page.path("offsets"))).isEqualTo(longs(page.path("publishedOffsets")));
        assertThat(page.path("opens").asInt()).as("reconnected after each of the 3 drops").isEqualTo(4);
        assertThat(page.path("resets").asInt()).isZero();
        assertThat(Files.size(screenshot)).as("screenshot %s", screenshot).isGreaterThan(1000);
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        run.requireEvent("done");
    }

    private static Path targetDir() throws Exception {
        Path target = Path.of(System.getProperty("weft.interop.targetDir", "target")).toAbsolutePath();
        Files.createDirectories(target);
        return target;
    }

    private static NodeScript.Result runScenario(String script, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "WEFT_BASE_URL", server.baseUrl(),
                "WEFT_API_URL", server.apiUrl(),
                "WEFT_API_KEY", InteropServer.API_KEY,
                "WEFT_TOKEN", InteropServer.connectionToken("alice"),
                "WEFT_CHANNEL_SUFFIX", Long.toString(System.nanoTime()),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())));
        env.putAll(extra);
        List<Integer> drops = new CopyOnWriteArrayList<>();
        NodeScript.Result run = NodeScript.runScript(script, env, SCRIPT_TIMEOUT, event -> {
            if ("drop_me".equals(event.path("event").asText())) {
                drops.add(dropStreams(event.path("channel").asText()));
            }
        });
        if (run.exitCode() != 0) {
            System.err.println(run.transcript());
        } else {
            System.out.print("--- " + script + " result lines\n" + run.stdout());
        }
        assertThat(run.exitCode()).as("%s failed:%n%s", script, run.transcript()).isZero();
        assertThat(drops).as("every drop found the stream open").allMatch(n -> n >= 1);
        return run;
    }

    /** Ends every plain SSE stream subscribed to {@code channel}, as a deploy or a lost connection would. */
    private static int dropStreams(String channel) {
        List<ClientSession> streams = server.node().internalsForTests().hub().members().stream()
                .filter(s -> "sse".equals(s.transport().name()) && s.channels().contains(channel))
                .toList();
        streams.forEach(s -> s.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect()));
        return streams.size();
    }
}
