package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.client.ClientSession;
import dev.weft.core.hub.Hub;
import dev.weft.server.config.HttpApiConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack (or just a flaky mobile network): clients that vanish while their connect or subscribe is being
 * handled, thousands of times; and one client subscribing to and leaving fresh channel names.
 * Defence: a closed session releases everything it registered, whenever it closed, and reading a channel
 * that never had a publication keeps nothing. After the churn the hub, {@code /api/info} and
 * {@code /api/channels} hold exactly the live connections, the users' {@code client.user_connection_limit}
 * slots are free, the node's timer holds only the live sessions' tasks, and the broker holds no stream.
 */
class SessionChurnTest {
    private static final String SECRET = "session-churn-test-secret-that-is-long-enough";
    private static final String KEY = "session-churn-api-key";
    private static final int VANISHING = 3_000;
    private static final int USERS = 40;
    private static final int LIVE = 5;

    private final HttpClient http = HttpClient.newHttpClient();
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private void start() {
        ChannelOptions room = ChannelOptions.builder().presence(true).joinLeave(true).historySize(10)
                .historyTtl(Duration.ofMinutes(5)).forceRecovery(true).allowSubscribeForClient(true).build();
        // No ping during the test: the timer then holds exactly each live session's periodic tasks.
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(SECRET).userConnectionLimit(1)
                .pingInterval(Duration.ofMinutes(10)).build();
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client).withChannels(ChannelConfig.DEFAULT.withNamespaces(
                        room, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withHttpApi(new HttpApiConfig(KEY, false, "")));
    }

    @Test
    void clientsVanishingMidConnectOrSubscribeLeaveOnlyTheLiveSetBehind() throws Exception {
        start();
        Hub<ClientSession> hub = server.node().internalsForTests().hub();
        List<TestWebSocket> live = new ArrayList<>();
        for (int i = 0; i < LIVE; i++) {
            TestWebSocket ws = connect("live-" + i);
            ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"live-" + i + "\"}}");
            assertThat(reply(ws, 2).has("error")).isFalse();
            live.add(ws);
        }
        int liveTimerTasks = timerTasks();
        long heapBefore = usedHeapAfterGc();
        Figures before = figures();

        // Each cycle opens a socket, sends connect (and subscribes, in the same frame or the next) and
        // resets the connection at a random moment: before anything, mid-connect, mid-subscribe.
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            IntStream.range(0, 8).forEach(t -> threads.submit(() -> {
                for (int i = t; i < VANISHING; i += 8) {
                    vanish(i);
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.memberCount() == LIVE
                    && subscriptions() == LIVE && timerTasks() == liveTimerTasks);
        } catch (ConditionTimeoutException e) {
            // what is left over is printed and asserted below
        }
        long heapAfter = usedHeapAfterGc();
        Figures after = figures();
        System.out.printf("SessionChurnTest: %d vanishing clients; sessions %d -> %d, subscriptions %d -> %d, "
                        + "timer tasks %d -> %d, /api/info clients %d -> %d, heap after GC %d KiB -> %d KiB%n",
                VANISHING, before.sessions, after.sessions, before.subscriptions, after.subscriptions,
                liveTimerTasks, timerTasks(), before.apiClients, after.apiClients, heapBefore / 1024,
                heapAfter / 1024);

        assertThat(after).isEqualTo(before);
        assertThat(timerTasks()).isEqualTo(liveTimerTasks);
        assertThat(after.apiChannels).isEqualTo(liveChannels());
        assertThat(after.apiClients).isEqualTo(LIVE);
        assertThat(server.node().internalsForTests().presenceManager().presence("churn-0")).isEmpty();
        for (int u = 0; u < USERS; u++) {
            connect("user-" + u).close(); // the user's only slot is free: connect succeeds
        }
        for (TestWebSocket ws : live) {
            ws.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.memberCount() == 0 && hub.channels().isEmpty());
    }

    @Test
    void subscribingToFreshChannelNamesKeepsNoStreams() throws Exception {
        start();
        MemoryBroker broker = (MemoryBroker) server.node().internalsForTests().broker();
        TestWebSocket ws = connect("reader");
        long heapBefore = usedHeapAfterGc();
        int cycles = 20_000;
        int perFrame = 100;
        int id = 1;
        for (int sent = 0; sent < cycles; sent += perFrame) {
            StringBuilder frame = new StringBuilder();
            for (int i = sent; i < sent + perFrame; i++) {
                String channel = "fresh-" + i;
                frame.append("{\"id\":").append(++id).append(",\"subscribe\":{\"channel\":\"").append(channel)
                        .append("\",\"recoverable\":true}}\n");
                frame.append("{\"id\":").append(++id).append(",\"unsubscribe\":{\"channel\":\"").append(channel)
                        .append("\"}}\n");
            }
            ws.send(frame.toString().stripTrailing());
            reply(ws, id); // paced: the next batch goes once this one was handled
        }
        long heapAfter = usedHeapAfterGc();
        System.out.printf("SessionChurnTest: %d subscribe/unsubscribe cycles on fresh channels; broker channels %d,"
                        + " retired %d; heap after GC %d KiB -> %d KiB%n", cycles, broker.channelCount(),
                broker.retiredCount(), heapBefore / 1024, heapAfter / 1024);

        assertThat(broker.channelCount()).isZero();
        assertThat(broker.retiredCount()).isZero();
        assertThat(server.node().internalsForTests().hub().channels()).isEmpty();
        ws.close();
    }

    /** One client that goes away without a word at a random point of its connect or subscribe. */
    private void vanish(int i) throws IOException {
        String connect = "{\"id\":1,\"connect\":{\"token\":\"" + token("user-" + (i % USERS)) + "\"}}";
        String subscribe = "{\"id\":2,\"subscribe\":{\"channel\":\"churn-" + (i % 37) + "\"}}";
        try (RawWebSocket ws = new RawWebSocket(port(), "/connection/websocket")) {
            ws.resetOnClose();
            switch (ThreadLocalRandom.current().nextInt(4)) {
                case 0 -> ws.sendText(connect);
                case 1 -> ws.sendText(connect + "\n" + subscribe);
                case 2 -> {
                    ws.sendText(connect);
                    ws.sendText(subscribe);
                }
                default -> {
                    ws.sendText(connect);
                    ws.readFrame(); // connected (or refused: the user's slot is taken for now)
                    ws.sendText(subscribe);
                }
            }
        } catch (IOException e) {
            // the server closed first (slot taken); that is a vanishing client too
        }
    }

    private record Figures(int sessions, int subscriptions, int apiClients, int apiSubs, int apiUsers,
                           Map<String, Integer> apiChannels) {
    }

    private Figures figures() throws Exception {
        JsonNode node = api("info").path("nodes").get(0);
        Map<String, Integer> channels = new TreeMap<>();
        api("channels").path("channels").properties()
                .forEach(e -> channels.put(e.getKey(), e.getValue().path("num_clients").asInt()));
        return new Figures(server.node().internalsForTests().hub().memberCount(), subscriptions(), node.path("num_clients").asInt(),
                node.path("num_subs").asInt(), node.path("num_users").asInt(), channels);
    }

    private static Map<String, Integer> liveChannels() {
        Map<String, Integer> channels = new TreeMap<>();
        for (int i = 0; i < LIVE; i++) {
            channels.put("live-" + i, 1);
        }
        return channels;
    }

    private int subscriptions() {
        Hub<ClientSession> hub = server.node().internalsForTests().hub();
        return hub.channels().stream().mapToInt(hub::subscriberCount).sum();
    }

    private int timerTasks() {
        return ((ScheduledThreadPoolExecutor) server.node().timer()).getQueue().size();
    }

    private JsonNode api(String method) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/api/" + method))
                .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return TestServers.json(response.body()).path("result");
    }

    private TestWebSocket connect(String user) throws Exception {
        TestWebSocket ws = TestWebSocket.connect(port());
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token(user) + "\"}}");
        JsonNode reply = reply(ws, 1);
        assertThat(reply.has("error")).as("connect %s: %s", user, reply).isFalse();
        return ws;
    }

    /** Reads messages until the reply with {@code id}. */
    private static JsonNode reply(TestWebSocket ws, int id) throws Exception {
        while (true) {
            for (JsonNode line : TestServers.lines(ws.next())) {
                if (line.path("id").asInt() == id) {
                    return line;
                }
            }
        }
    }

    private int port() {
        return server.port();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String token(String user) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(user).expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))
                    .build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
