package dev.weft.core.client;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.UserConnections;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.auth.InvalidTokenException;
import dev.weft.core.auth.JwtVerifier;
import dev.weft.core.auth.SubscriptionToken;
import dev.weft.core.auth.TokenVerifier;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.SubscribeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that goes away while its connect or subscribe is being handled must leave nothing behind:
 * once its close completed, no trace of it is in the hub (sessions, users, subscribers), in presence or on
 * the node's timer, and its user's {@code client.user_connection_limit} slot is free. Each test stops the
 * command at one point with a {@link Gate} in a test double, closes the connection there, then lets the
 * command finish.
 */
class SessionCloseRaceTest {
    /** Presence, join/leave and history: every registration a subscription can make. */
    private static final ChannelOptions ROOM = ChannelOptions.builder()
            .presence(true).joinLeave(true).historySize(10).historyTtl(Duration.ofMinutes(5)).forceRecovery(true)
            .allowSubscribeForClient(true).build();

    private final Gate historyGate = new Gate();
    private final Gate connectTokenGate = new Gate();
    private final Gate subscriptionTokenGate = new Gate();
    /** When set, the next join published fails, as a network broker's call can. */
    private volatile boolean failNextJoin;
    private Node node;
    private MemoryPresenceManager presence;
    private int idleTimerTasks;

    private Node start(boolean personalChannel) {
        var client = ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).userConnectionLimit(1)
                .subscribeToUserPersonalChannel(personalChannel).personalChannelNamespace("room")
                .subscriptionTokenEnabled(true).build();
        var config = NodeConfig.DEFAULT.withClient(client)
                .withChannels(ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.DEFAULT,
                        List.of(new Namespace("room", ROOM))));
        var verifier = new GatedVerifier(new JwtVerifier(client.token(), Clock.systemUTC()));
        presence = new MemoryPresenceManager();
        node = new Node(config, new GatedBroker(new MemoryBroker()), presence, verifier, verifier,
                Clock.systemUTC());
        idleTimerTasks = timerTasks();
        return node;
    }

    @AfterEach
    void stop() {
        historyGate.open();
        connectTokenGate.open();
        subscriptionTokenGate.open();
        if (node != null) {
            node.shutdown(Duration.ofMillis(200));
        }
    }

    @Test
    void closeWhileConnectChecksTheTokenLeavesNothing() throws Exception {
        start(true);
        var transport = new GatedTransport();
        ClientSession session = node.connect(transport);
        connectTokenGate.arm();
        session.handleFrame(TestFrames.connect(Tokens.connect("alice", Tokens.inSeconds(3600))));
        connectTokenGate.awaitReached();
        session.handleTransportClosed();
        connectTokenGate.open();

        awaitClosed(session);
        assertNothingLeftOf(session, "room:#alice");
        assertSlotFree("alice");
    }

    @Test
    void closeWhileConnectRegistersTheSessionLeavesNothing() throws Exception {
        start(false);
        var transport = new GatedTransport();
        ClientSession session = node.connect(transport);
        transport.emulationGate.arm(); // the hub asks while adding the session
        session.handleFrame(TestFrames.connect(Tokens.connect("alice", Tokens.inSeconds(3600))));
        transport.emulationGate.awaitReached();
        Thread closer = Thread.ofVirtual().start(session::handleTransportClosed);
        transport.emulationGate.open();
        closer.join(TimeUnit.SECONDS.toMillis(5));

        awaitClosed(session);
        assertNothingLeftOf(session, "room:#alice");
        assertSlotFree("alice");
    }

    @Test
    void closeWhileConnectPositionsAServerSideSubscriptionLeavesNothing() throws Exception {
        start(true);
        var transport = new GatedTransport();
        ClientSession session = node.connect(transport);
        historyGate.arm();
        session.handleFrame(TestFrames.connect(Tokens.connect("alice", Tokens.inSeconds(3600))));
        historyGate.awaitReached();
        session.handleTransportClosed();
        historyGate.open();

        awaitClosed(session);
        assertNothingLeftOf(session, "room:#alice");
        assertSlotFree("alice");
    }

    @Test
    void closeWhileSubscribeChecksTheSubscriptionTokenLeavesNothing() throws Exception {
        start(false);
        TestClient client = connected("bob");
        subscriptionTokenGate.arm();
        client.send(new SubscribeRequest("room:a", Tokens.sign(com.nimbusds.jose.JWSAlgorithm.HS256, Tokens.SECRET,
                Map.of("sub", "bob", "channel", "room:a"), Tokens.inSeconds(3600)),
                false, "", 0, null, false, false, false));
        subscriptionTokenGate.awaitReached();
        client.session().handleTransportClosed();
        subscriptionTokenGate.open();

        awaitClosed(client.session());
        assertNothingLeftOf(client.session(), "room:a");
        assertSlotFree("bob");
    }

    @Test
    void closeWhileSubscribeReadsTheStreamLeavesNothing() throws Exception {
        start(false);
        TestClient client = connected("bob");
        historyGate.arm();
        client.send(SubscribeRequest.of("room:a"));
        historyGate.awaitReached();
        client.session().handleTransportClosed();
        historyGate.open();

        awaitClosed(client.session());
        assertNothingLeftOf(client.session(), "room:a");
        assertSlotFree("bob");
    }

    @Test
    void serverSideSubscribeRacingWithCloseLeavesNothing() throws Exception {
        start(false);
        TestClient client = connected("bob");
        historyGate.arm();
        node.subscribe(UserConnections.of("bob"), "room:b",
                new ServerSubscribe(node.rules().optionsFor("room:b"), null, null));
        historyGate.awaitReached();
        client.session().disconnect(dev.weft.protocol.DisconnectCode.SHUTDOWN.disconnect());
        historyGate.open();

        awaitClosed(client.session());
        assertNothingLeftOf(client.session(), "room:b");
        assertSlotFree("bob");
    }

    @Test
    void subscribeFailingHalfwayUndoesWhatItRegistered() {
        start(false);
        TestClient client = connected("bob");
        failNextJoin = true; // after the subscriber and its presence were added

        var reply = client.call(SubscribeRequest.of("room:a"));

        assertThat(reply.error().code()).isEqualTo(dev.weft.protocol.ErrorCode.INTERNAL.code());
        assertThat(node.internalsForTests().hub().channels()).isEmpty();
        assertThat(presence.presence("room:a")).isEmpty();
        assertThat(client.session().channels()).isEmpty();
        assertThat(client.session().isConnected()).isTrue();
    }

    private TestClient connected(String user) {
        TestClient c = new TestClient(node);
        var reply = c.call(new ConnectRequest(Tokens.connect(user, Tokens.inSeconds(3600)), null, Map.of(), "test",
                "", Map.of()));
        assertThat(reply.error()).isNull();
        return c;
    }

    private static void awaitClosed(ClientSession session) throws Exception {
        session.released().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void assertNothingLeftOf(ClientSession session, String channel) {
        var hub = node.internalsForTests().hub();
        assertThat(hub.member(session.clientId())).as("session in the hub").isNull();
        assertThat(hub.memberCount()).as("sessions in the hub").isZero();
        assertThat(hub.channels()).as("channels with subscribers").isEmpty();
        assertThat(hub.subscriberCount(channel)).isZero();
        assertThat(presence.presence(channel)).as("presence of " + channel).isEmpty();
        assertThat(session.channels()).isEmpty();
        assertThat(timerTasks()).as("tasks on the node's timer").isEqualTo(idleTimerTasks);
    }

    /** The user's only slot ({@code user_connection_limit} 1) is free again: a new connection gets in. */
    private void assertSlotFree(String user) {
        assertThat(node.internalsForTests().hub().userMemberCount(user)).isZero();
        TestClient again = connected(user);
        assertThat(again.session().isConnected()).isTrue();
    }

    private int timerTasks() {
        return ((ScheduledThreadPoolExecutor) node.timer()).getQueue().size();
    }

    /** Connect frames as the JSON protocol sends them. */
    private static final class TestFrames {
        static byte[] connect(String token) {
            return dev.weft.protocol.codec.ProtocolCodecs.of(ProtocolType.JSON).encodeCommands(List.of(
                    new dev.weft.protocol.model.Command(1,
                            new ConnectRequest(token, null, Map.of(), "test", "", Map.of()))));
        }
    }

    /** A memory broker whose history reads stop at {@link #historyGate} when armed. */
    private final class GatedBroker implements Broker {
        private final Broker delegate;

        GatedBroker(Broker delegate) {
            this.delegate = delegate;
        }

        @Override
        public void setEventHandler(BrokerEventHandler handler) {
            delegate.setEventHandler(handler);
        }

        @Override
        public void subscribe(String channel) {
            delegate.subscribe(channel);
        }

        @Override
        public void unsubscribe(String channel) {
            delegate.unsubscribe(channel);
        }

        @Override
        public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
            return delegate.publish(channel, data, options);
        }

        @Override
        public void publishJoin(String channel, ClientInfo info) {
            if (failNextJoin) {
                failNextJoin = false;
                throw new IllegalStateException("broker unavailable");
            }
            delegate.publishJoin(channel, info);
        }

        @Override
        public void publishLeave(String channel, ClientInfo info) {
            delegate.publishLeave(channel, info);
        }

        @Override
        public HistoryPage history(String channel, HistoryFilter filter) {
            historyGate.pass();
            return delegate.history(channel, filter);
        }

        @Override
        public void removeHistory(String channel) {
            delegate.removeHistory(channel);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Token checks that stop at {@link #connectTokenGate} / {@link #subscriptionTokenGate} when armed. */
    private final class GatedVerifier implements TokenVerifier {
        private final TokenVerifier delegate;

        GatedVerifier(TokenVerifier delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean configured() {
            return delegate.configured();
        }

        @Override
        public ConnectToken verifyConnectToken(String token) throws InvalidTokenException {
            connectTokenGate.pass();
            return delegate.verifyConnectToken(token);
        }

        @Override
        public SubscriptionToken verifySubscriptionToken(String token) throws InvalidTokenException {
            subscriptionTokenGate.pass();
            return delegate.verifySubscriptionToken(token);
        }
    }

    /** A recording transport whose {@code emulation()} (asked while the hub adds the session) can be gated. */
    private static final class GatedTransport implements Transport {
        final Gate emulationGate = new Gate();
        private final RecordingTransport delegate = new RecordingTransport(ProtocolType.JSON);

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public ProtocolType protocolType() {
            return delegate.protocolType();
        }

        @Override
        public boolean unidirectional() {
            return false;
        }

        @Override
        public boolean emulation() {
            emulationGate.pass();
            return false;
        }

        @Override
        public String remoteAddress() {
            return delegate.remoteAddress();
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public boolean write(byte[] frame) {
            return delegate.write(frame);
        }

        @Override
        public void close(Disconnect disconnect) {
            delegate.close(disconnect);
        }
    }
}
