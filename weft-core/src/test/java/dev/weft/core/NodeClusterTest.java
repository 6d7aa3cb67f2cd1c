package dev.weft.core;

import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.client.ClientSession;
import dev.weft.core.client.RecordingTransport;
import dev.weft.core.client.ServerSubscribe;
import dev.weft.core.control.LocalControlNetwork;
import dev.weft.core.control.NodeInfo;
import dev.weft.core.emulation.EmulationRouter.Outcome;
import dev.weft.core.emulation.NodeEmulationRouter;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on one in-process control network: what the cluster adds to the node's operations. */
class NodeClusterTest {
    private static final NodeConfig CONFIG =
            NodeConfig.DEFAULT.withClient(ClientOptions.builder().insecure(true).build());
    private final LocalControlNetwork network = new LocalControlNetwork();
    private final Node a = new Node(CONFIG, new MemoryBroker(), new MemoryPresenceManager());
    private final Node b = new Node(CONFIG, new MemoryBroker(), new MemoryPresenceManager());

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private void join() {
        a.joinCluster(network.newBus(), "test");
        b.joinCluster(network.newBus(), "test");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.otherNodes().size() == 1 && b.otherNodes().size() == 1);
    }

    private static byte[] commands(ProtocolType type, int id, Request request) {
        return ProtocolCodecs.of(type).encodeCommands(List.of(new Command(id, request)));
    }

    private static Reply reply(RecordingTransport transport, int id) {
        return await().atMost(Duration.ofSeconds(5)).until(
                () -> transport.replies().stream().filter(r -> r.id() == id).findFirst().orElse(null),
                r -> r != null);
    }

    private static ConnectResult connect(Node node, RecordingTransport transport) {
        ClientSession session = node.connect(transport);
        session.handleFrame(commands(transport.protocolType(), 1,
                new ConnectRequest("", null, Map.of(), "test", "", Map.of())));
        return (ConnectResult) reply(transport, 1).result();
    }

    @Test
    void eachNodeListsBothWithTheirCounts() {
        join();
        connect(a, new RecordingTransport(ProtocolType.JSON));
        await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(b.otherNodes())
                .extracting(NodeInfo::id, NodeInfo::clients, NodeInfo::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(a.id(), 1, "test")));
    }

    @Test
    void aDisconnectOnOneNodeReachesTheClientHeldByTheOther() {
        join();
        RecordingTransport onA = new RecordingTransport(ProtocolType.JSON);
        connect(a, onA);
        ControlOutcome outcome = b.disconnect(UserConnections.of(""), DisconnectCode.FORCE_NO_RECONNECT.disconnect())
                .toCompletableFuture().join();
        assertThat(outcome.connections()).as("the connection on a, counted by b").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> onA.closedWith() != null);
        assertThat(onA.closedWith().code()).isEqualTo(DisconnectCode.FORCE_NO_RECONNECT.code());
    }

    @Test
    void aServerSideSubscribeOnOneNodeReachesTheClientHeldByTheOther() {
        join();
        RecordingTransport onA = new RecordingTransport(ProtocolType.JSON);
        connect(a, onA);
        ServerSubscribe how = new ServerSubscribe(b.rules().optionsFor("news"), null, null);
        assertThat(b.subscribe(UserConnections.of(""), "news", how).toCompletableFuture().join().connections())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.internalsForTests().hub().subscriberCount("news") == 1);
        assertThat(b.unsubscribe(UserConnections.of(""), "news").toCompletableFuture().join().connections())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.internalsForTests().hub().subscriberCount("news") == 0);
    }

    @Test
    void aNodeAloneReachesOnlyItsOwnConnections() {
        RecordingTransport onA = new RecordingTransport(ProtocolType.JSON);
        connect(a, onA);
        assertThat(b.disconnect(UserConnections.of(""), DisconnectCode.FORCE_NO_RECONNECT.disconnect())
                .toCompletableFuture().join().connections()).isZero();
        assertThat(onA.closedWith()).isNull();
    }

    @Test
    void revocationsAndInvalidationsReachEveryNode() {
        join();
        b.revokeToken("jti-1", 0);
        b.invalidateUserTokens("alice", 1_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.tokenRevocations().isRevoked("jti-1")
                && a.tokenRevocations().isInvalidated("alice", 999));
        assertThat(a.tokenRevocations().isInvalidated("alice", 1_001)).isFalse();
    }

    @Test
    void anEmulationRequestSentToTheOtherNodeReachesTheSession() {
        join();
        RecordingTransport onA = RecordingTransport.emulated(ProtocolType.JSON);
        ConnectResult connected = connect(a, onA);
        Outcome outcome = new NodeEmulationRouter(b)
                .route(new EmulationRequest(connected.node(), connected.session(),
                        commands(ProtocolType.JSON, 2, SubscribeRequest.of("news"))), ProtocolType.JSON)
                .toCompletableFuture().join();
        assertThat(outcome).isEqualTo(Outcome.DELIVERED);
        assertThat(reply(onA, 2).result()).isInstanceOf(SubscribeResult.class);

        assertThat(new NodeEmulationRouter(b).route(new EmulationRequest(connected.node(), "no-such-session",
                new byte[0]), ProtocolType.JSON).toCompletableFuture().join()).isEqualTo(Outcome.UNKNOWN_SESSION);
        assertThat(new NodeEmulationRouter(b).route(new EmulationRequest("no-such-node", connected.session(),
                new byte[0]), ProtocolType.JSON).toCompletableFuture().join()).isEqualTo(Outcome.UNKNOWN_NODE);
    }

    @Test
    void aNodeThatSaysGoodbyeIsForgottenAtOnce() {
        join();
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.otherNodes().isEmpty());
    }
}
