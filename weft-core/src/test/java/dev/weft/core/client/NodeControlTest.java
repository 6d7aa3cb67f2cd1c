package dev.weft.core.client;

import dev.weft.core.ClientOptions;
import dev.weft.core.ControlOutcome;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.NodeStats;
import dev.weft.core.UserConnections;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribePush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node's control operations on a user's connections: what they reach, and what they report reaching. */
class NodeControlTest {
    private static final ChannelOptions OPEN = ChannelOptions.builder()
            .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();

    private Node node;

    @BeforeEach
    void start() {
        node = new Node(NodeConfig.DEFAULT
                .withClient(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).build())
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(OPEN, List.of())),
                new MemoryBroker(), new MemoryPresenceManager());
    }

    @AfterEach
    void stop() {
        node.shutdown(Duration.ofMillis(200));
    }

    private TestClient connected(String user) {
        TestClient c = new TestClient(node);
        Reply r = c.call(new ConnectRequest(Tokens.connect(user, Tokens.inSeconds(3600)), null, Map.of(), "test",
                "", Map.of()));
        assertThat(r.error()).isNull();
        return c;
    }

    private static ControlOutcome outcome(CompletionStage<ControlOutcome> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void disconnectReachesTheUsersConnectionsExceptTheOnesKept() {
        TestClient a1 = connected("alice");
        TestClient a2 = connected("alice");
        TestClient kept = connected("alice");
        TestClient bob = connected("bob");

        ControlOutcome reached = outcome(node.disconnect(
                new UserConnections("alice", "", Set.of(kept.session().clientId())),
                DisconnectCode.FORCE_NO_RECONNECT.disconnect()));

        assertThat(reached.connections()).isEqualTo(2);
        assertThat(a1.awaitDisconnect().code()).isEqualTo(DisconnectCode.FORCE_NO_RECONNECT.code());
        assertThat(a2.awaitDisconnect().code()).isEqualTo(DisconnectCode.FORCE_NO_RECONNECT.code());
        await().until(() -> node.connectionCount() == 2);
        assertThat(kept.session().isConnected()).isTrue();
        assertThat(bob.session().isConnected()).isTrue();
    }

    @Test
    void aClientIdNarrowsTheTargetToOneConnection() {
        connected("alice");
        TestClient one = connected("alice");

        ControlOutcome reached = outcome(node.sendMessage(UserConnections.of("alice", one.session().clientId()),
                "{\"m\":1}".getBytes(StandardCharsets.UTF_8)));

        assertThat(reached.connections()).isEqualTo(1);
        await().until(() -> !one.pushes("", Message.class).isEmpty());
        assertThat(outcome(node.sendMessage(UserConnections.of("nobody"), new byte[] {1})))
                .isEqualTo(ControlOutcome.NONE);
    }

    @Test
    void refreshWithAnExpiryAlreadyPastDisconnectsAsExpired() {
        TestClient bob = connected("bob");

        ControlOutcome reached = outcome(node.refresh(UserConnections.of("bob"),
                node.clock().instant().getEpochSecond() - 1, null, false));

        assertThat(reached.connections()).isEqualTo(1);
        assertThat(bob.awaitDisconnect().code()).isEqualTo(DisconnectCode.EXPIRED.code());
    }

    @Test
    void channelsAndStatsCountThisNodesConnectionsAndSubscriptions() {
        TestClient a1 = connected("alice");
        TestClient a2 = connected("alice");
        connected("bob");

        outcome(node.subscribe(UserConnections.of("alice"), "news",
                new ServerSubscribe(node.rules().optionsFor("news"), null, null)));
        await().until(() -> !a1.pushes("news", SubscribePush.class).isEmpty()
                && !a2.pushes("news", SubscribePush.class).isEmpty());

        assertThat(node.channels()).containsExactly(Map.entry("news", 2));
        assertThat(node.stats()).isEqualTo(new NodeStats(3, 2, 1, 2));
    }

    @Test
    void outcomesOfSeveralNodesAddUp() {
        assertThat(new ControlOutcome(2).plus(new ControlOutcome(3))).isEqualTo(new ControlOutcome(5));
    }
}
