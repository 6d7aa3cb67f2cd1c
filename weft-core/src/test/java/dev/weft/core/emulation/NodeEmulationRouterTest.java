package dev.weft.core.emulation;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.client.ClientSession;
import dev.weft.core.client.RecordingTransport;
import dev.weft.core.emulation.EmulationRouter.Outcome;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeEmulationRouterTest {
    private final Node node = new Node(NodeConfig.DEFAULT.withClient(ClientOptions.builder().insecure(true).build()),
            new MemoryBroker(), new MemoryPresenceManager());
    private final EmulationRouter router = new NodeEmulationRouter(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private static byte[] commands(ProtocolType type, int id, Request request) {
        return ProtocolCodecs.of(type).encodeCommands(List.of(new Command(id, request)));
    }

    private static ConnectRequest connect() {
        return new ConnectRequest("", null, Map.of(), "test", "", Map.of());
    }

    private static Reply reply(RecordingTransport transport, int id) {
        return await().atMost(Duration.ofSeconds(5)).until(
                () -> transport.replies().stream().filter(r -> r.id() == id).findFirst().orElse(null),
                r -> r != null);
    }

    private Outcome route(String nodeId, String session, ProtocolType format, byte[] data) {
        return router.route(new EmulationRequest(nodeId, session, data), format).toCompletableFuture().join();
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void connectResultAddressesTheSessionAndCommandsReachIt(ProtocolType type) {
        RecordingTransport transport = RecordingTransport.emulated(type);
        ClientSession session = node.connect(transport);
        session.handleFrame(commands(type, 1, connect()));
        ConnectResult connected = (ConnectResult) reply(transport, 1).result();

        assertThat(connected.session()).isNotEmpty().isNotEqualTo(connected.client()).isEqualTo(session.sessionId());
        assertThat(connected.node()).isEqualTo(node.id());

        assertThat(route(connected.node(), connected.session(), type, commands(type, 2, SubscribeRequest.of("news"))))
                .isEqualTo(Outcome.DELIVERED);
        assertThat(reply(transport, 2).result()).isInstanceOf(SubscribeResult.class);

        node.publish("news", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "", Map.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.replies().stream()
                .anyMatch(r -> r.result() instanceof Push p && p.body() instanceof Publication));
    }

    @Test
    void refusesRequestsThatNameAnotherNodeOrNoSuchSession() {
        RecordingTransport transport = RecordingTransport.emulated(ProtocolType.JSON);
        ClientSession session = node.connect(transport);
        session.handleFrame(commands(ProtocolType.JSON, 1, connect()));
        reply(transport, 1);
        byte[] ping = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(route("another-node", session.sessionId(), ProtocolType.JSON, ping)).isEqualTo(Outcome.UNKNOWN_NODE);
        assertThat(route(node.config().name(), session.sessionId(), ProtocolType.JSON, ping))
                .as("the configured name is not the routing id").isEqualTo(Outcome.UNKNOWN_NODE);
        assertThat(route(node.id(), "no-such-session", ProtocolType.JSON, ping)).isEqualTo(Outcome.UNKNOWN_SESSION);
        assertThat(route(node.id(), session.clientId(), ProtocolType.JSON, ping))
                .as("the client id, which others see in presence, does not address the session")
                .isEqualTo(Outcome.UNKNOWN_SESSION);
        assertThat(route(node.id(), session.sessionId(), ProtocolType.PROTOBUF, ping)).isEqualTo(Outcome.WRONG_FORMAT);
    }

    @Test
    void onlyConnectedEmulatedSessionsTakeCommands() {
        RecordingTransport emulated = RecordingTransport.emulated(ProtocolType.JSON);
        ClientSession connecting = node.connect(emulated);
        byte[] ping = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(route(node.id(), connecting.sessionId(), ProtocolType.JSON, ping))
                .as("not connected yet").isEqualTo(Outcome.UNKNOWN_SESSION);

        RecordingTransport oneWay = new RecordingTransport(ProtocolType.JSON, true);
        ClientSession uni = node.connect(oneWay);
        uni.connectUnidirectional(connect(), List.of());
        await().atMost(Duration.ofSeconds(5)).until(uni::isConnected);
        assertThat(uni.sessionId()).isNotEmpty();
        assertThat(route(node.id(), uni.sessionId(), ProtocolType.JSON, ping))
                .as("a unidirectional session never takes commands").isEqualTo(Outcome.UNKNOWN_SESSION);

        RecordingTransport socket = new RecordingTransport(ProtocolType.JSON);
        ClientSession ws = node.connect(socket);
        ws.handleFrame(commands(ProtocolType.JSON, 1, connect()));
        assertThat(((ConnectResult) reply(socket, 1).result()).session()).isEmpty();
        assertThat(ws.sessionId()).isEmpty();
    }

    @Test
    void aClosedSessionIsNoLongerReachable() {
        RecordingTransport transport = RecordingTransport.emulated(ProtocolType.JSON);
        ClientSession session = node.connect(transport);
        session.handleFrame(commands(ProtocolType.JSON, 1, connect()));
        reply(transport, 1);
        session.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect());
        await().atMost(Duration.ofSeconds(5)).until(() -> node.internalsForTests().hub().emulatedMember(session.sessionId()) == null);
        assertThat(route(node.id(), session.sessionId(), ProtocolType.JSON, "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Outcome.UNKNOWN_SESSION);
    }
}
