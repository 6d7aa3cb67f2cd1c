package dev.weft.core.client;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The per-connection limits of the engine: command rate (111, then 3013) and the per-user connection limit. */
class ClientSessionLimitsTest {
    private static final byte[] DATA = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    private static final ChannelOptions HISTORY = ChannelOptions.builder()
            .historySize(1000).historyTtl(Duration.ofMinutes(5))
            .allowSubscribeForClient(true).allowPublishForClient(true).build();

    private Node node;

    private Node start(ClientOptions.Builder client) {
        node = new Node(NodeConfig.DEFAULT
                .withClient(client.tokenHmacSecretKey(Tokens.SECRET).build())
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(HISTORY, List.of())),
                new MemoryBroker(), new MemoryPresenceManager());
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.shutdown(Duration.ofMillis(200));
        }
    }

    private static ConnectRequest connect(String user) {
        return new ConnectRequest(Tokens.connect(user, Tokens.inSeconds(3600)), null, Map.of(), "test", "", Map.of());
    }

    /** {@code count} publish commands in one JSON frame, ids from 100. */
    private static byte[] publishes(String channel, int count) {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commands.add(new Command(100 + i, new PublishRequest(channel, DATA)));
        }
        return ProtocolCodecs.of(ProtocolType.JSON).encodeCommands(commands);
    }

    private long published(String channel) {
        return node.internalsForTests().broker().history(channel, HistoryFilter.POSITION_ONLY).position().offset();
    }

    @Test
    void commandsOverTheRateAreRefusedWith111BeforeDoingAnyWork() {
        // 1 per second refill: within this test's few milliseconds at most one token comes back.
        start(ClientOptions.builder().commandRateLimit(1).commandRateBurst(10).commandRefusalLimit(0));
        TestClient client = new TestClient(node);
        assertThat(client.call(connect("alice")).error()).isNull(); // takes one of the 10 tokens

        client.sendRaw(publishes("news", 30));
        List<Reply> replies = await().atMost(Duration.ofSeconds(5)).until(() -> client.transport().replies().stream()
                .filter(r -> r.id() >= 100).toList(), l -> l.size() == 30);

        List<Reply> refused = replies.stream().filter(r -> r.error() != null).toList();
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.error().code()).isEqualTo(111);
            assertThat(r.error().temporary()).as("the SDK may retry later").isTrue();
        });
        long ok = replies.size() - refused.size();
        assertThat(ok).isBetween(9L, 10L);
        assertThat(published("news")).as("refused publishes published nothing").isEqualTo(ok);
        assertThat(client.transport().closedWith()).as("refusals alone do not disconnect").isNull();
        assertThat(node.refusals().count("command.too_many_requests")).isEqualTo(refused.size());
    }

    @Test
    void aClientThatIgnoresRefusalsIsDisconnectedWith3013() {
        start(ClientOptions.builder().commandRateLimit(1).commandRateBurst(5).commandRefusalLimit(5));
        TestClient client = new TestClient(node);
        assertThat(client.call(connect("alice")).error()).isNull();

        client.sendRaw(publishes("news", 1000));
        Disconnect disconnect = client.awaitDisconnect();
        assertThat(disconnect.code()).isEqualTo(DisconnectCode.TOO_MANY_REQUESTS.code());
        assertThat(published("news")).as("only the burst was carried out").isLessThanOrEqualTo(5);
        long answered = client.transport().replies().stream().filter(r -> r.id() >= 100).count();
        assertThat(answered).as("nothing after the disconnect is processed").isLessThanOrEqualTo(5 + 1 + 5);
        assertThat(node.refusals().count("disconnect.too_many_requests")).isEqualTo(1);
    }

    @Test
    void pongsAreNotCommands() {
        start(ClientOptions.builder().commandRateLimit(1).commandRateBurst(2).commandRefusalLimit(1));
        TestClient client = new TestClient(node);
        assertThat(client.call(connect("alice")).error()).isNull();
        for (int i = 0; i < 50; i++) {
            client.sendRaw("{}".getBytes(StandardCharsets.UTF_8));
        }
        Reply ping = client.call(new dev.weft.protocol.model.PingRequest());
        assertThat(ping.error()).isNull();
        assertThat(client.transport().closedWith()).isNull();
    }

    @Test
    void userConnectionLimitHoldsWhenConnectsRace() throws Exception {
        start(ClientOptions.builder().userConnectionLimit(2));
        int attempts = 20;
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            clients.add(new TestClient(node));
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (TestClient c : clients) {
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    c.send(connect("mallory"));
                });
            }
            go.countDown();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.stream()
                .filter(c -> c.transport().closedWith() != null || !c.transport().replies().isEmpty()).count() == attempts);
        long refused = clients.stream().filter(c -> c.transport().closedWith() != null).count();
        assertThat(clients).filteredOn(c -> c.transport().closedWith() != null)
                .allSatisfy(c -> assertThat(c.transport().closedWith().code())
                        .isEqualTo(DisconnectCode.CONNECTION_LIMIT.code()));
        assertThat(refused).isEqualTo(attempts - 2);
        assertThat(node.internalsForTests().hub().userMemberCount("mallory")).isEqualTo(2);
        assertThat(node.refusals().count("disconnect.connection_limit")).isEqualTo(attempts - 2);

        // A slot frees when a connection ends; the user's next connection is accepted.
        clients.stream().filter(c -> c.transport().closedWith() == null).findFirst().orElseThrow()
                .session().handleTransportClosed();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.internalsForTests().hub().userMemberCount("mallory") == 1);
        TestClient again = new TestClient(node);
        assertThat(again.call(connect("mallory")).error()).isNull();
        assertThat(again.transport().closedWith()).isNull();
        assertThat(ErrorCode.TOO_MANY_REQUESTS.temporary()).isTrue();
    }
}
