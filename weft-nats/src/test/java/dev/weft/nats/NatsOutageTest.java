package dev.weft.nats;

import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.UserConnections;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.RecordingHandler;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Broker outages against a private nats-server: publishing while NATS is away fails (never a silent success),
 * history survives a server restart (JetStream keeps it on disk), and a node that lost NATS delivers what was
 * published meanwhile, in order, as soon as it is back.
 */
class NatsOutageTest {

    private static final PublishOptions HISTORY = PublishOptions.withHistory(100, Duration.ofMinutes(10));
    private static final String CHANNEL = "outage";

    private PrivateNatsServer server;
    private SharedNats nats;

    @BeforeEach
    void startServer() throws Exception {
        server = new PrivateNatsServer();
        server.start();
        nats = new SharedNats(server.url());
    }

    @AfterEach
    void stopServer() throws Exception {
        nats.close();
        server.close();
    }

    @Test
    void publishFailsWhileNatsIsDownAndTheStreamGoesOnWhereItWasOnceItIsBack() throws Exception {
        NatsEngine node = nats.engine();
        Broker broker = node.broker();
        RecordingHandler events = new RecordingHandler();
        broker.setEventHandler(events);
        broker.subscribe(CHANNEL);
        StreamPosition before = null;
        for (int i = 1; i <= 3; i++) {
            before = broker.publish(CHANNEL, ("m" + i).getBytes(UTF_8), HISTORY).position();
        }

        server.stop();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> broker.publish(CHANNEL, "lost".getBytes(UTF_8), HISTORY))
                        .isInstanceOf(BrokerUnavailableException.class));
        assertThatThrownBy(() -> broker.publish(CHANNEL, "plain".getBytes(UTF_8), PublishOptions.noHistory()))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThatThrownBy(() -> broker.history(CHANNEL, HistoryFilter.all()))
                .isInstanceOf(BrokerUnavailableException.class);

        server.start();

        StreamPosition after = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                .until(() -> broker.publish(CHANNEL, "m4".getBytes(UTF_8), HISTORY).position(), p -> true);
        assertThat(after).isEqualTo(new StreamPosition(4, before.epoch()));
        assertThat(broker.history(CHANNEL, HistoryFilter.since(new StreamPosition(0, before.epoch()), -1))
                .publications()).extracting(p -> new String(p.data(), UTF_8))
                .containsExactly("m1", "m2", "m3", "m4");
        await().atMost(Duration.ofSeconds(10)).until(() -> events.publications(CHANNEL).size() == 4);
        assertThat(events.publications(CHANNEL)).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void whileNatsIsDownCrossNodeOperationsAndRevocationsFailInsteadOfReachingThisNodeAlone() throws Exception {
        NatsEngine engine = nats.engine();
        Node node = new Node(NodeConfig.DEFAULT, engine.broker(), engine.presenceManager());
        try (node) {
            node.joinCluster(engine.controlBus(), "test");

            server.stop();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> node.disconnect(
                    UserConnections.of("alice", ""), DisconnectCode.FORCE_NO_RECONNECT.disconnect()))
                    .isInstanceOf(BrokerUnavailableException.class));
            assertThatThrownBy(() -> node.revokeToken("token-1", 0)).isInstanceOf(BrokerUnavailableException.class);
            assertThat(node.tokenRevocations().isRevoked("token-1")).as("nothing half-done").isFalse();

            server.start();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> node.revokeToken("token-1", 0));
            assertThat(node.tokenRevocations().isRevoked("token-1")).isTrue();
        }
    }

    @Test
    void aNodeThatLostNatsDeliversWhatWasPublishedMeanwhileAsSoonAsItIsBack() throws Exception {
        try (TcpCut cut = new TcpCut(server.port())) {
            Broker other = nats.engine().broker();
            try (NatsEngine node = NatsEngine.open(new NatsEngineConfig(cut.url(), nats.prefix, null))) {
                Broker cutOff = node.broker();
                RecordingHandler events = new RecordingHandler();
                cutOff.setEventHandler(events);
                cutOff.subscribe(CHANNEL);
                StreamPosition first = other.publish(CHANNEL, "before".getBytes(UTF_8), HISTORY).position();
                await().atMost(Duration.ofSeconds(5)).until(() -> events.publications(CHANNEL).size() == 1);

                cut.cut();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> cutOff.publish(CHANNEL, "lost".getBytes(UTF_8), HISTORY))
                                .isInstanceOf(BrokerUnavailableException.class));
                other.publish(CHANNEL, "meanwhile-1".getBytes(UTF_8), HISTORY);
                other.publish(CHANNEL, "meanwhile-2".getBytes(UTF_8), HISTORY);
                assertThat(events.publications(CHANNEL)).hasSize(1);

                cut.restore();

                // No further publication: the node catches up on its own once resubscribed.
                await().atMost(Duration.ofSeconds(15)).until(() -> events.publications(CHANNEL).size() == 3);
                assertThat(events.publications(CHANNEL)).extracting(p -> new String(p.data(), UTF_8))
                        .containsExactly("before", "meanwhile-1", "meanwhile-2");
                assertThat(events.publications(CHANNEL)).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
                assertThat(cutOff.history(CHANNEL, HistoryFilter.since(first, -1)).position())
                        .isEqualTo(new StreamPosition(3, first.epoch()));
                other.publish(CHANNEL, "after".getBytes(UTF_8), HISTORY);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.publications(CHANNEL).size() == 4);
            }
        }
    }
}
