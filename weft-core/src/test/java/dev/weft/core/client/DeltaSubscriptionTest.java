package dev.weft.core.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.ServerPublish;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.delta.FossilDelta;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fossil delta compression on a subscription, decoded the way the centrifuge SDK decodes it. */
class DeltaSubscriptionTest {
    private static final ChannelOptions DELTA = ChannelOptions.builder().historySize(100)
            .historyTtl(Duration.ofMinutes(5)).forcePositioning(true).allowFossilDelta(true)
            .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();

    private Node node;

    private void start() {
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(
                ChannelOptions.builder().allowSubscribeForAnonymous(true).allowSubscribeForClient(true).build(),
                List.of(new Namespace("delta", DELTA),
                        new Namespace("always", DELTA.toBuilder().deltaPublish(true).build())));
        node = new Node(NodeConfig.DEFAULT.withClient(ClientOptions.builder()
                .allowAnonymousConnectWithoutToken(true).build()).withChannels(channels),
                new MemoryBroker(), new MemoryPresenceManager());
    }

    @AfterEach
    void stop() {
        node.shutdown(Duration.ofMillis(200));
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void deltaSubscriberRebuildsTheSameDataAsAFullSubscriberWithFewerBytes(ProtocolType type) throws IOException {
        start();
        TestClient full = connected(type);
        TestClient delta = connected(type);
        assertThat(((SubscribeResult) full.call(SubscribeRequest.of("delta:doc")).result()).delta()).isFalse();
        assertThat(((SubscribeResult) delta.call(fossil("delta:doc", false, "", 0)).result()).delta()).isTrue();

        List<byte[]> published = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] doc = document(i);
            published.add(doc);
            publishForDelta("delta:doc", doc);
        }

        List<Publication> plain = full.awaitPublications("delta:doc", 20);
        List<Publication> compressed = delta.awaitPublications("delta:doc", 20);
        assertThat(plain).extracting(Publication::data).containsExactlyElementsOf(published);
        assertThat(decode(compressed, type, null)).containsExactlyElementsOf(published);
        assertThat(compressed.getFirst().delta()).isFalse();
        assertThat(compressed.subList(1, 20)).allMatch(Publication::delta);
        assertThat(wireSize(compressed)).isLessThan(wireSize(plain) / 4);
    }

    @Test
    void recoveredPublicationsStartWholeAndChainAndLiveOnesContinueTheChain() throws IOException {
        start();
        var top = node.internalsForTests().broker().position("delta:rec");
        List<byte[]> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(document(i));
            publishForDelta("delta:rec", published.getLast());
        }
        TestClient c = connected(ProtocolType.JSON);
        SubscribeResult result = (SubscribeResult) c.call(fossil("delta:rec", true, top.epoch(), top.offset()))
                .result();
        assertThat(result.recovered()).isTrue();
        assertThat(result.delta()).isTrue();
        assertThat(result.publications().getFirst().delta()).isFalse();
        byte[] last = decode(result.publications(), ProtocolType.JSON, null).getLast();

        published.add(document(5));
        publishForDelta("delta:rec", published.getLast());
        Publication live = c.awaitPublications("delta:rec", 1).getFirst();
        assertThat(live.delta()).isTrue();
        assertThat(decode(List.of(live), ProtocolType.JSON, last)).containsExactly(document(5));
    }

    @Test
    void failedRecoveryLeavesNoBaseSoTheFirstLivePublicationIsWhole() throws IOException {
        start();
        publishForDelta("delta:gap", document(0));
        TestClient c = connected(ProtocolType.JSON);
        SubscribeResult result = (SubscribeResult) c.call(fossil("delta:gap", true, "old-epoch", 1)).result();
        assertThat(result.recovered()).isFalse();

        publishForDelta("delta:gap", document(1));
        Publication live = c.awaitPublications("delta:gap", 1).getFirst();
        assertThat(live.delta()).isFalse();
        assertThat(decode(List.of(live), ProtocolType.JSON, null)).containsExactly(document(1));
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void onlyPublicationsPublishedForDeltaGoAsDeltasAndTheOthersWholeStillDecode(ProtocolType type)
            throws IOException {
        start();
        TestClient c = connected(type);
        assertThat(((SubscribeResult) c.call(fossil("delta:mixed", false, "", 0)).result()).delta()).isTrue();
        List<byte[]> published = new ArrayList<>();
        boolean[] flagged = {true, true, false, true, false, false, true};
        for (int i = 0; i < flagged.length; i++) {
            published.add(document(i));
            if (flagged[i]) {
                publishForDelta("delta:mixed", document(i));
            } else {
                node.publish("delta:mixed", document(i), "", Map.of());
            }
        }

        List<Publication> got = c.awaitPublications("delta:mixed", flagged.length);
        assertThat(decode(got, type, null)).containsExactlyElementsOf(published);
        // The first has no base; an unflagged one goes whole, and the next flagged one is a delta against it.
        assertThat(got).extracting(Publication::delta)
                .containsExactly(false, true, false, true, false, false, true);
    }

    @Test
    void deltaPublishNamespaceSendsEveryPublicationAsADelta() throws IOException {
        start();
        TestClient c = connected(ProtocolType.JSON);
        assertThat(((SubscribeResult) c.call(fossil("always:doc", false, "", 0)).result()).delta()).isTrue();
        node.publish("always:doc", document(0), "", Map.of());
        node.publish("always:doc", document(1), "", Map.of());

        List<Publication> got = c.awaitPublications("always:doc", 2);
        assertThat(got).extracting(Publication::delta).containsExactly(false, true);
        assertThat(decode(got, ProtocolType.JSON, null)).containsExactly(document(0), document(1));
    }

    @Test
    void namespaceWithoutDeltaGivesWholeDataAndUnknownDeltaTypeDisconnects() {
        start();
        TestClient c = connected(ProtocolType.JSON);
        assertThat(((SubscribeResult) c.call(fossil("plain", false, "", 0)).result()).delta()).isFalse();
        publishForDelta("plain", document(0));
        assertThat(c.awaitPublications("plain", 1).getFirst().data()).isEqualTo(document(0));

        c.send(new SubscribeRequest("delta:x", "", false, "", 0, null, false, false, false, "zstd", null, 0, 0));
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.BAD_REQUEST.code());
    }

    /** Publishes as the server API does with {@code "delta": true}. */
    private void publishForDelta(String channel, byte[] data) {
        node.publish(channel, data, new ServerPublish(Map.of(), "", false, true));
    }

    private TestClient connected(ProtocolType type) {
        TestClient c = new TestClient(node, type);
        assertThat(c.call(new ConnectRequest("", null, Map.of(), "test", "", Map.of())).error()).isNull();
        return c;
    }

    private static SubscribeRequest fossil(String channel, boolean recover, String epoch, long offset) {
        return new SubscribeRequest(channel, "", recover, epoch, offset, null, false, recover, false, "fossil", null, 0,
                SubscribeRequest.TYPE_STREAM);
    }

    /** As the SDK: JSON data is a string (delta or whole), Protobuf data the bytes; deltas apply to the last. */
    static List<byte[]> decode(List<Publication> publications, ProtocolType type, byte[] base) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] previous = base;
        for (Publication p : publications) {
            byte[] data = type == ProtocolType.JSON ? jsonString(p.data()) : p.data();
            previous = p.delta() ? FossilDelta.apply(previous, data) : data;
            out.add(previous);
        }
        return out;
    }

    private static byte[] jsonString(byte[] json) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            return parser.getText().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static long wireSize(List<Publication> publications) {
        return publications.stream().mapToLong(p -> p.data().length).sum();
    }

    /** A 2 KiB JSON document of which one value changes per version. */
    static byte[] document(int version) {
        StringBuilder s = new StringBuilder("{\"version\":").append(version).append(",\"rows\":[");
        for (int i = 0; i < 40; i++) {
            s.append("{\"id\":").append(i).append(",\"label\":\"row number ").append(i).append(" é\",\"value\":")
                    .append(i == version % 40 ? version * 7 : i).append("},");
        }
        return s.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
