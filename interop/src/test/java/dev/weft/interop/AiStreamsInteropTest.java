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
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AI token streams with the clients applications use: the {@code ai} package's {@code DefaultChatTransport}
 * (what {@code useChat({resume: true})} calls) and its UI message stream parser, the {@code eventsource}
 * package resuming by {@code Last-Event-ID} while the server drops its stream, and a centrifuge-js
 * subscription to the stream's channel (which also stops a stream with the {@code ai_stop} RPC)
 * ({@code ai-streams.mjs}).
 */
class AiStreamsInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final String ANSWER = IntStream.range(0, 40).mapToObj(i -> "w" + i + " ").collect(Collectors.joining());

    private static InteropServer server;

    @BeforeAll
    static void startServer() throws Exception {
        NodeScript.ensureInstalled();
        ChannelOptions ai = ChannelOptions.builder().historySize(1000).historyTtl(Duration.ofMinutes(5))
                .allowSubscribeForClient(true).build();
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(InteropServer.HMAC_SECRET).build();
        server = InteropServer.start(WeftConfig.DEFAULT
                .withNode(NodeConfig.DEFAULT.withClient(client)
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT,
                                List.of(new Namespace("ai", ai)))))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(InteropServer.API_KEY, false)));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aiSdkTransportEventsourceAndCentrifugeReadTheSameStreamsWithNothingLostOrDuplicated() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "WEFT_BASE_URL", server.baseUrl(),
                "WEFT_URL", server.websocketUrl(),
                "WEFT_API_URL", server.apiUrl(),
                "WEFT_API_KEY", InteropServer.API_KEY,
                "WEFT_TOKEN", InteropServer.connectionToken("alice"),
                "WEFT_CHANNEL_SUFFIX", Long.toString(System.nanoTime()),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())));
        List<Integer> drops = new CopyOnWriteArrayList<>();
        NodeScript.Result run = NodeScript.runScript("ai-streams.mjs", env, SCRIPT_TIMEOUT, event -> {
            if ("drop_me".equals(event.path("event").asText())) {
                drops.add(dropReaders(event.path("channel").asText()));
            }
        });
        assertThat(run.exitCode()).as("ai-streams.mjs failed:%n%s", run.transcript()).isZero();
        System.out.print("--- ai-streams.mjs result lines\n" + run.stdout());

        JsonNode chat = run.requireEvent("chat");
        assertThat(chat.path("text").asText()).isEqualTo(ANSWER);
        assertThat(chat.path("firstText").asText()).as("the first reader's catch-up").isEqualTo(
                IntStream.range(0, 10).mapToObj(i -> "w" + i + " ").collect(Collectors.joining()));

        JsonNode stream = run.requireEvent("stream");
        assertThat(stream.path("header").asText()).isEqualTo("v1");
        assertThat(stream.path("httpText").asText()).isEqualTo(ANSWER);
        assertThat(stream.path("wsText").asText()).isEqualTo(ANSWER);
        assertThat(stream.path("wsParts").asInt()).as("one publication per part").isEqualTo(1 + 3 + 1 + 40 + 2);
        assertThat(stream.path("httpTypes").toString()).contains("reasoning-delta", "text-delta", "finish");

        JsonNode eventsource = run.requireEvent("eventsource");
        assertThat(eventsource.path("text").asText()).isEqualTo(ANSWER);
        assertThat(eventsource.path("opens").asInt()).isEqualTo(3);
        assertThat(drops).containsExactly(1, 1);

        JsonNode stop = run.requireEvent("stop");
        assertThat(stop.path("stopped")).hasSize(3);
        assertThat(stop.path("refusedRpc").asInt()).as("ai_stop for a channel the client is not subscribed to")
                .isEqualTo(103);
        for (JsonNode s : stop.path("stopped")) {
            assertThat(s.path("last").asText()).as(s.toString()).isEqualTo("abort");
            assertThat(s.path("text").asText()).isEqualTo("partial");
            assertThat(s.path("lateError").asInt()).isEqualTo(113);
        }
        run.requireEvent("done");
    }

    /** Ends the HTTP readers of AI streams in {@code channel}, as a deploy or a lost connection would. */
    private static int dropReaders(String channel) {
        List<ClientSession> readers = server.node().internalsForTests().hub().members().stream()
                .filter(s -> "ai_stream".equals(s.transport().name()) && s.channels().contains(channel))
                .toList();
        readers.forEach(s -> s.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect()));
        return readers.size();
    }
}
