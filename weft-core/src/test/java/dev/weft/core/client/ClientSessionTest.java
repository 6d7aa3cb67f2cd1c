package dev.weft.core.client;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.ClientOptions;
import dev.weft.core.CommandFailedException;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.UserConnections;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.FilterNode;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ClientSessionTest {
    private static final ChannelOptions HISTORY = ChannelOptions.builder()
            .historySize(100).historyTtl(Duration.ofMinutes(5)).forceRecovery(true).allowHistoryForSubscriber(true)
            .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
    private static final ChannelOptions CHAT = ChannelOptions.builder()
            .presence(true).joinLeave(true).forcePushJoinLeave(true)
            .allowSubscribeForClient(true).allowPublishForSubscriber(true)
            .allowPresenceForSubscriber(true).build();
    private static final ChannelOptions OPEN = ChannelOptions.builder()
            .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();

    private Node node;

    private Node start(ClientOptions client) {
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(OPEN, List.of(
                new Namespace("hist", HISTORY),
                new Namespace("filtered", HISTORY.toBuilder().forcePositioning(true).allowTagsFilter(true).build()),
                new Namespace("chat", CHAT),
                new Namespace("closed", ChannelOptions.DEFAULT),
                new Namespace("users", ChannelOptions.builder().allowUserLimitedChannels(true).build()),
                new Namespace("digits", OPEN.toBuilder().channelRegex(Pattern.compile("[0-9]+")).build())));
        node = new Node(NodeConfig.DEFAULT.withClient(client).withChannels(channels),
                new MemoryBroker(), new MemoryPresenceManager());
        return node;
    }

    private Node startSecure() {
        return start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).build());
    }

    private Node startAnonymous() {
        return start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET)
                .allowAnonymousConnectWithoutToken(true).build());
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.shutdown(Duration.ofMillis(200));
        }
    }

    private static ConnectRequest connect(String token) {
        return new ConnectRequest(token, null, Map.of(), "test", "", Map.of());
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TestClient connected(String user) {
        TestClient c = new TestClient(node);
        Reply r = c.call(connect(Tokens.connect(user, Tokens.inSeconds(3600))));
        assertThat(r.error()).isNull();
        return c;
    }

    @Test
    void connectWithValidTokenReturnsClientIdAndPingSettings() {
        startSecure();
        TestClient c = new TestClient(node);
        Reply reply = c.call(connect(Tokens.connect("alice", Tokens.inSeconds(3600))));
        ConnectResult result = (ConnectResult) reply.result();
        assertThat(result.client()).isEqualTo(c.session().clientId()).isNotEmpty();
        assertThat(result.ping()).isEqualTo(25);
        assertThat(result.pong()).isTrue();
        assertThat(result.expires()).isTrue();
        assertThat(result.ttl()).isBetween(3500, 3600);
        assertThat(c.session().userId()).isEqualTo("alice");
        assertThat(node.internalsForTests().hub().userMemberCount("alice")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void subscriberReceivesServerPublicationInBothFormats(ProtocolType type) {
        startAnonymous();
        TestClient c = new TestClient(node, type);
        c.call(connect(""));
        assertThat(c.call(SubscribeRequest.of("news")).error()).isNull();
        node.publish("news", json("{\"text\":\"hi\"}"), "", Map.of());
        List<Publication> pubs = c.awaitPublications("news", 1);
        assertThat(new String(pubs.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\"}");
    }

    @Test
    void commandBeforeConnectDisconnectsWithBadRequest() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.send(SubscribeRequest.of("news"));
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.BAD_REQUEST.code());
    }

    @Test
    void malformedFrameDisconnectsOnlyThatClient() {
        startAnonymous();
        TestClient bad = new TestClient(node);
        TestClient good = new TestClient(node);
        bad.call(connect(""));
        good.call(connect(""));
        good.call(SubscribeRequest.of("news"));
        bad.sendRaw(json("{\"id\":1,\"subscribe\":"));
        assertThat(bad.awaitDisconnect().code()).isEqualTo(DisconnectCode.BAD_REQUEST.code());
        node.publish("news", json("1"), "", Map.of());
        assertThat(good.awaitPublications("news", 1)).hasSize(1);
        assertThat(good.transport().closedWith()).isNull();
    }

    @Test
    void truncatedProtobufFrameDisconnectsWithBadRequest() {
        startAnonymous();
        TestClient c = new TestClient(node, ProtocolType.PROTOBUF);
        c.call(connect(""));
        c.sendRaw(new byte[] {0x10, 0x08, 0x02, 0x2a});
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.BAD_REQUEST.code());
    }

    @Test
    void invalidChannelNamesGetTheirErrors() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        assertThat(c.call(SubscribeRequest.of("")).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
        assertThat(c.call(SubscribeRequest.of("x".repeat(256))).error().code())
                .isEqualTo(ErrorCode.LIMIT_EXCEEDED.code());
        assertThat(c.transport().closedWith()).isNull();
    }

    @Test
    void sendIsHandedToTheSendHandlerWithoutReply() {
        startSecure();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        node.setSendHandler((client, data) -> received.add(client.user() + ":" + new String(data, StandardCharsets.UTF_8)));
        TestClient c = connected("alice");
        c.send(new dev.weft.protocol.model.SendRequest(json("{\"hi\":1}")));
        await().until(() -> received.size() == 1);
        assertThat(received).containsExactly("alice:{\"hi\":1}");
        assertThat(c.transport().replies()).hasSize(1);
    }

    @Test
    void burstOfSmallCommandsIsAnsweredNotCutOff() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        int last = 0;
        for (int i = 0; i < 5000; i++) {
            last = c.send(new PingRequest());
        }
        assertThat(c.awaitReply(last).result()).isInstanceOf(PingResult.class);
        assertThat(c.transport().closedWith()).isNull();
    }

    @Test
    void floodOfLargeFramesIsCutOffWithTooManyRequests() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        node.setRpcHandler((client, method, data) -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        });
        byte[] big = json("{\"id\":99,\"rpc\":{\"method\":\"slow\",\"data\":\"" + "x".repeat(60_000) + "\"}}");
        for (int i = 0; i < 200 && c.transport().closedWith() == null; i++) {
            c.sendRaw(big);
        }
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.TOO_MANY_REQUESTS.code());
    }

    @Test
    void commandWithoutKnownMethodGetsMethodNotFound() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        c.sendRaw(json("{\"id\":7,\"frobnicate\":{}}"));
        assertThat(c.awaitReply(7).error().code()).isEqualTo(ErrorCode.METHOD_NOT_FOUND.code());
    }

    @Test
    void rpcWithoutHandlerIsNotAvailableAndWithHandlerAnswers() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        assertThat(c.call(new RpcRequest(json("{}"), "sum")).error().code())
                .isEqualTo(ErrorCode.NOT_AVAILABLE.code());
        node.setRpcHandler((client, method, data) -> json("{\"method\":\"" + method + "\"}"));
        RpcResult result = (RpcResult) c.call(new RpcRequest(json("{}"), "sum")).result();
        assertThat(new String(result.data(), StandardCharsets.UTF_8)).isEqualTo("{\"method\":\"sum\"}");
    }

    @Test
    void pingCommandGetsPingResult() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        assertThat(c.call(new PingRequest()).result()).isInstanceOf(PingResult.class);
    }

    @Test
    void unknownNamespaceIsUnknownChannel() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        assertThat(c.call(SubscribeRequest.of("nope:x")).error().code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL.code());
        assertThat(c.call(SubscribeRequest.of("digits:abc")).error().code())
                .isEqualTo(ErrorCode.UNKNOWN_CHANNEL.code());
        assertThat(c.call(SubscribeRequest.of("digits:123")).error()).isNull();
    }

    @Test
    void serverApiPublishToUnknownNamespaceFails() {
        startAnonymous();
        try {
            node.publish("nope:x", json("1"), "", Map.of());
            throw new AssertionError("expected failure");
        } catch (CommandFailedException e) {
            assertThat(e.error().code()).isEqualTo(ErrorCode.UNKNOWN_CHANNEL.code());
        }
    }

    @Test
    void duplicateSubscribeIsAlreadySubscribed() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        c.call(SubscribeRequest.of("news"));
        assertThat(c.call(SubscribeRequest.of("news")).error().code())
                .isEqualTo(ErrorCode.ALREADY_SUBSCRIBED.code());
    }

    @Test
    void channelLimitIsEnforced() {
        start(ClientOptions.builder().insecure(true).channelLimit(2).build());
        TestClient c = new TestClient(node);
        c.call(connect(""));
        c.call(SubscribeRequest.of("a"));
        c.call(SubscribeRequest.of("b"));
        assertThat(c.call(SubscribeRequest.of("c")).error().code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED.code());
    }

    @Test
    void namespaceWithoutSubscribePermissionRefusesAndLeaksNothing() {
        startSecure();
        TestClient c = connected("alice");
        assertThat(c.call(SubscribeRequest.of("closed:x")).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        node.publish("closed:x", json("1"), "", Map.of());
        assertThat(c.pushes()).isEmpty();
    }

    @Test
    void publishFromSubscriberReachesOthersWithPublisherInfo() {
        startSecure();
        TestClient alice = connected("alice");
        TestClient bob = connected("bob");
        alice.call(SubscribeRequest.of("chat:room"));
        bob.call(SubscribeRequest.of("chat:room"));
        assertThat(alice.call(new PublishRequest("chat:room", json("{\"m\":1}"))).error()).isNull();
        Publication p = bob.awaitPublications("chat:room", 1).get(0);
        assertThat(p.info().user()).isEqualTo("alice");
        TestClient carol = connected("carol");
        assertThat(carol.call(new PublishRequest("chat:room", json("{}"))).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
    }

    @Test
    void presenceJoinAndLeave() {
        startSecure();
        TestClient alice = connected("alice");
        alice.call(SubscribeRequest.of("chat:room"));
        TestClient bob = connected("bob");
        bob.call(SubscribeRequest.of("chat:room"));
        await().until(() -> alice.pushes("chat:room", Join.class).size() >= 1);
        assertThat(alice.pushes("chat:room", Join.class).get(0).info().user()).isEqualTo("bob");

        PresenceResult presence = (PresenceResult) alice.call(new PresenceRequest("chat:room")).result();
        assertThat(presence.presence().values()).extracting(i -> i.user()).containsExactlyInAnyOrder("alice", "bob");
        PresenceStatsResult stats = (PresenceStatsResult) alice.call(new PresenceStatsRequest("chat:room")).result();
        assertThat(stats.numClients()).isEqualTo(2);
        assertThat(stats.numUsers()).isEqualTo(2);

        bob.session().handleTransportClosed();
        await().until(() -> alice.pushes("chat:room", Leave.class).size() >= 1);
        assertThat(alice.pushes("chat:room", Leave.class).get(0).info().user()).isEqualTo("bob");
        await().until(() -> ((PresenceResult) alice.call(new PresenceRequest("chat:room")).result())
                .presence().size() == 1);
    }

    @Test
    void presenceIsRefreshedEveryPresenceUpdateIntervalSoItOutlivesItsTtl() throws Exception {
        start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).pingInterval(Duration.ofHours(1))
                .presenceTtl(Duration.ofMillis(400)).presenceUpdateInterval(Duration.ofMillis(100)).build());
        TestClient alice = connected("alice");
        alice.call(SubscribeRequest.of("chat:room"));
        Thread.sleep(1200);
        assertThat(node.internalsForTests().presenceManager().presence("chat:room")).containsKey(alice.session().clientId());
        alice.session().handleTransportClosed();
        await().until(() -> node.internalsForTests().presenceManager().presence("chat:room").isEmpty());
    }

    @Test
    void presenceOfNotSubscribedChannelIsRefused() {
        startSecure();
        TestClient alice = connected("alice");
        assertThat(alice.call(new PresenceRequest("chat:room")).error().code())
                .isEqualTo(ErrorCode.PERMISSION_DENIED.code());
        assertThat(alice.call(new PresenceRequest("news")).error().code()).isEqualTo(ErrorCode.NOT_AVAILABLE.code());
    }

    @Test
    void recoversAllMissedPublicationsInOrder() {
        startAnonymous();
        TestClient first = new TestClient(node);
        first.call(connect(""));
        SubscribeResult sub = (SubscribeResult) first.call(SubscribeRequest.of("hist:a")).result();
        assertThat(sub.recoverable()).isTrue();
        node.publish("hist:a", json("0"), "", Map.of());
        Publication seen = first.awaitPublications("hist:a", 1).get(0);
        first.session().handleTransportClosed();

        for (int i = 1; i <= 50; i++) {
            node.publish("hist:a", json(Integer.toString(i)), "", Map.of());
        }
        SubscribeResult recovered = resubscribe("hist:a", sub.epoch(), seen.offset());
        assertThat(recovered.recovered()).isTrue();
        assertThat(recovered.wasRecovering()).isTrue();
        assertThat(recovered.publications()).hasSize(50);
        assertThat(recovered.publications()).extracting(p -> new String(p.data(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(Integer::toString).toList());
        assertThat(recovered.offset()).isEqualTo(seen.offset() + 50);
    }

    @Test
    void subscriberOfAnEmptyChannelGetsItsFirstPublicationsLiveAndRecoversThemLater() {
        startAnonymous();
        TestClient live = new TestClient(node);
        live.call(connect(""));
        TestClient away = new TestClient(node);
        away.call(connect(""));
        SubscribeResult liveSub = (SubscribeResult) live.call(SubscribeRequest.of("hist:empty")).result();
        SubscribeResult awaySub = (SubscribeResult) away.call(SubscribeRequest.of("hist:empty")).result();
        assertThat(liveSub.offset()).isZero();
        assertThat(awaySub.epoch()).isEqualTo(liveSub.epoch()).isNotEmpty();
        away.session().handleTransportClosed();

        node.publish("hist:empty", json("1"), "", Map.of());
        node.publish("hist:empty", json("2"), "", Map.of());

        assertThat(live.awaitPublications("hist:empty", 2)).extracting(Publication::offset).containsExactly(1L, 2L);
        assertThat(live.transport().closedWith()).as("same epoch: no insufficient-state disconnect").isNull();
        SubscribeResult recovered = resubscribe("hist:empty", awaySub.epoch(), awaySub.offset());
        assertThat(recovered.recovered()).isTrue();
        assertThat(recovered.publications()).extracting(Publication::offset).containsExactly(1L, 2L);
        assertThat(recovered.epoch()).isEqualTo(awaySub.epoch());
    }

    @Test
    void recoveryBeyondHistorySizeFailsWithNoPartialSet() {
        startAnonymous();
        var top = node.internalsForTests().broker().position("hist:b");
        for (int i = 0; i < 150; i++) {
            node.publish("hist:b", json("1"), "", Map.of());
        }
        SubscribeResult result = resubscribe("hist:b", top.epoch(), top.offset());
        assertThat(result.recovered()).isFalse();
        assertThat(result.publications()).isEmpty();
        assertThat(result.offset()).isEqualTo(top.offset() + 150);
    }

    @Test
    void recoveryWithWrongEpochOrOffsetBeyondTopFails() {
        startAnonymous();
        node.publish("hist:c", json("1"), "", Map.of());
        var top = node.internalsForTests().broker().position("hist:c");
        assertThat(resubscribe("hist:c", "other-epoch", top.offset()).recovered()).isFalse();
        assertThat(resubscribe("hist:c", top.epoch(), top.offset() + 5).recovered()).isFalse();
        SubscribeResult upToDate = resubscribe("hist:c", top.epoch(), top.offset());
        assertThat(upToDate.recovered()).isTrue();
        assertThat(upToDate.publications()).isEmpty();
    }

    @Test
    void failedRecoveryWithRejectUnrecoveredFlagIsRefusedWith112AndLeavesNoSubscription() {
        startAnonymous();
        var top = node.internalsForTests().broker().position("hist:e");
        node.publish("hist:e", json("1"), "", Map.of());
        TestClient c = new TestClient(node);
        c.call(connect(""));
        Reply refused = c.call(new SubscribeRequest("hist:e", "", true, "other-epoch", top.offset(), null, false,
                true, false, "", null, SubscribeRequest.FLAG_REJECT_UNRECOVERED, SubscribeRequest.TYPE_STREAM));
        assertThat(refused.error().code()).isEqualTo(ErrorCode.UNRECOVERABLE_POSITION.code());

        Reply recovered = c.call(new SubscribeRequest("hist:e", "", true, top.epoch(), top.offset(), null, false,
                true, false, "", null, SubscribeRequest.FLAG_REJECT_UNRECOVERED, SubscribeRequest.TYPE_STREAM));
        assertThat(recovered.error()).isNull();
        assertThat(((SubscribeResult) recovered.result()).publications()).hasSize(1);
    }

    @Test
    void mapAndSharedPollSubscriptionsAreNotAvailable() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        for (int type : new int[] {1, 4}) {
            Reply reply = c.call(new SubscribeRequest("news", "", false, "", 0, null, false, false, false, "", null, 0,
                    type));
            assertThat(reply.error().code()).isEqualTo(ErrorCode.NOT_AVAILABLE.code());
        }
        assertThat(c.call(SubscribeRequest.of("news")).error()).isNull();
    }

    @Test
    void tagsFilterDeliversOnlyMatchingPublicationsLiveAndRecoveredWithoutBreakingPositions() {
        startAnonymous();
        var top = node.internalsForTests().broker().position("filtered:a");
        node.publish("filtered:a", json("1"), "", Map.of("kind", "keep"));
        node.publish("filtered:a", json("2"), "", Map.of("kind", "drop"));
        TestClient c = new TestClient(node);
        c.call(connect(""));
        FilterNode keep = FilterNode.leaf("kind", "eq", "keep");
        SubscribeResult result = (SubscribeResult) c.call(new SubscribeRequest("filtered:a", "", true, top.epoch(),
                top.offset(), null, true, true, false, "", keep, 0, SubscribeRequest.TYPE_STREAM)).result();
        assertThat(result.recovered()).isTrue();
        assertThat(result.publications()).extracting(Publication::offset).containsExactly(top.offset() + 1);

        node.publish("filtered:a", json("3"), "", Map.of("kind", "drop"));
        node.publish("filtered:a", json("4"), "", Map.of("kind", "keep"));
        List<Publication> live = c.awaitPublications("filtered:a", 1);
        // delivered, not refused as a gap: the filtered-out offset 3 still advanced the position
        assertThat(live).extracting(p -> new String(p.data(), StandardCharsets.UTF_8)).containsExactly("4");
    }

    @Test
    void tagsFilterOutsideAllowingNamespaceOrMalformedIsBadRequest() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        FilterNode keep = FilterNode.leaf("kind", "eq", "keep");
        assertThat(c.call(new SubscribeRequest("hist:f", "", false, "", 0, null, false, false, false, "", keep, 0,
                0)).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
        assertThat(c.call(new SubscribeRequest("filtered:b", "", false, "", 0, null, false, false, false, "",
                FilterNode.leaf("kind", "like", "x"), 0, 0)).error().code()).isEqualTo(ErrorCode.BAD_REQUEST.code());
        assertThat(c.call(new SubscribeRequest("filtered:b", "", false, "", 0, null, false, false, false, "", keep,
                0, 0)).error()).isNull();
    }

    @Test
    void recoveryLimitIsConfigurable() {
        start(ClientOptions.builder().allowAnonymousConnectWithoutToken(true).recoveryMaxPublicationLimit(10).build());
        var top = node.internalsForTests().broker().position("hist:d");
        for (int i = 0; i < 11; i++) {
            node.publish("hist:d", json("1"), "", Map.of());
        }
        assertThat(resubscribe("hist:d", top.epoch(), top.offset()).recovered()).isFalse();
        assertThat(resubscribe("hist:d", top.epoch(), top.offset() + 1).recovered()).isTrue();
    }

    @Test
    void publicationsDuringRecoveringSubscribeAreNeitherLostNorDuplicated() throws Exception {
        startAnonymous();
        var top = node.internalsForTests().broker().position("hist:e");
        Thread publisher = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 80; i++) {
                node.publish("hist:e", json(Integer.toString(i)), "", Map.of());
            }
        });
        TestClient c = new TestClient(node);
        c.call(connect(""));
        var request = new SubscribeRequest("hist:e", "", true, top.epoch(), top.offset(), null, false, true, false);
        SubscribeResult result = (SubscribeResult) c.call(request).result();
        publisher.join();
        assertThat(result.recovered()).isTrue();
        int live = 80 - result.publications().size();
        List<Publication> livePubs = live == 0 ? List.of() : c.awaitPublications("hist:e", live);
        List<Long> offsets = new java.util.ArrayList<>();
        result.publications().forEach(p -> offsets.add(p.offset()));
        livePubs.forEach(p -> offsets.add(p.offset()));
        assertThat(offsets).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(top.offset() + 1, top.offset() + 80).boxed().toList());
    }

    @Test
    void historyReturnsPublicationsAndPosition() {
        startAnonymous();
        for (int i = 0; i < 5; i++) {
            node.publish("hist:h", json(Integer.toString(i)), "", Map.of());
        }
        TestClient c = new TestClient(node);
        c.call(connect(""));
        c.call(SubscribeRequest.of("hist:h"));
        HistoryResult all = (HistoryResult) c.call(new HistoryRequest("hist:h", -1, null, false)).result();
        assertThat(all.publications()).hasSize(5);
        assertThat(all.offset()).isEqualTo(5);
        HistoryResult since = (HistoryResult) c.call(
                new HistoryRequest("hist:h", 10, new StreamPosition(3, all.epoch()), false)).result();
        assertThat(since.publications()).extracting(Publication::offset).containsExactly(4L, 5L);
        Reply wrongEpoch = c.call(new HistoryRequest("hist:h", 10, new StreamPosition(3, "zzz"), false));
        assertThat(wrongEpoch.error().code()).isEqualTo(ErrorCode.UNRECOVERABLE_POSITION.code());
    }

    @Test
    void slowConsumerIsDisconnectedAndOthersCarryOn() {
        startAnonymous();
        TestClient slow = new TestClient(node);
        TestClient fast = new TestClient(node);
        slow.call(connect(""));
        fast.call(connect(""));
        slow.call(SubscribeRequest.of("news"));
        fast.call(SubscribeRequest.of("news"));
        slow.transport().setQueueFull(true);
        node.publish("news", json("1"), "", Map.of());
        assertThat(slow.awaitDisconnect().code()).isEqualTo(DisconnectCode.SLOW.code());
        node.publish("news", json("2"), "", Map.of());
        assertThat(fast.awaitPublications("news", 2)).hasSize(2);
        await().until(() -> node.internalsForTests().hub().subscriberCount("news") == 1);
    }

    @Test
    void socketThatNeverConnectsIsClosedAsStale() {
        start(ClientOptions.builder().insecure(true).staleCloseDelay(Duration.ofMillis(100)).build());
        TestClient c = new TestClient(node);
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.STALE.code());
    }

    @Test
    void clientThatDoesNotAnswerPingsIsDisconnected() {
        start(ClientOptions.builder().insecure(true).pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(100)).build());
        TestClient c = new TestClient(node);
        c.call(connect(""));
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.NO_PONG.code());
        assertThat(c.transport().replies()).contains(Reply.PING);
    }

    @Test
    void clientThatAnswersPingsStays() throws Exception {
        start(ClientOptions.builder().insecure(true).pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(100)).build());
        TestClient c = new TestClient(node);
        c.call(connect(""));
        long deadline = System.currentTimeMillis() + 5000;
        int answered = 0;
        while (answered < 3 && System.currentTimeMillis() < deadline) {
            long pings = c.transport().replies().stream().filter(Reply.PING::equals).count();
            if (pings > answered) {
                c.sendRaw(json("{}"));
                answered++;
            }
            Thread.sleep(5);
        }
        assertThat(answered).isGreaterThanOrEqualTo(3);
        assertThat(c.transport().closedWith()).isNull();
    }

    @Test
    void unsubscribeStopsDelivery() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        c.call(SubscribeRequest.of("news"));
        assertThat(c.call(new UnsubscribeRequest("news")).error()).isNull();
        node.publish("news", json("1"), "", Map.of());
        assertThat(node.internalsForTests().hub().subscriberCount("news")).isZero();
        assertThat(c.pushes()).isEmpty();
    }

    @Test
    void serverSideSubscriptionsFromTokenChannels() {
        startSecure();
        TestClient c = new TestClient(node);
        String token = Tokens.sign(JWSAlgorithm.HS256, Tokens.SECRET,
                Map.of("sub", "alice", "channels", List.of("news", "hist:s")), Tokens.inSeconds(60));
        ConnectResult result = (ConnectResult) c.call(connect(token)).result();
        assertThat(result.subs()).containsOnlyKeys("news", "hist:s");
        assertThat(result.subs().get("hist:s").recoverable()).isTrue();
        node.publish("news", json("1"), "", Map.of());
        assertThat(c.awaitPublications("news", 1)).hasSize(1);
    }

    @Test
    void serverSideSubscribeUnsubscribeMessageAndRefreshArePushed() {
        startSecure();
        TestClient c = connected("alice");
        node.subscribe(UserConnections.of("alice"), "hist:srv",
                new ServerSubscribe(node.rules().optionsFor("hist:srv"), null, null));
        await().until(() -> !c.pushes("hist:srv", dev.weft.protocol.model.SubscribePush.class).isEmpty());
        var sub = c.pushes("hist:srv", dev.weft.protocol.model.SubscribePush.class).get(0);
        assertThat(sub.recoverable()).isTrue();
        assertThat(sub.epoch()).isNotEmpty();
        node.publish("hist:srv", json("1"), "", Map.of());
        assertThat(c.awaitPublications("hist:srv", 1)).hasSize(1);

        node.unsubscribe(UserConnections.of("alice"), "hist:srv");
        await().until(() -> !c.pushes("hist:srv", dev.weft.protocol.model.UnsubscribePush.class).isEmpty());
        assertThat(c.pushes("hist:srv", dev.weft.protocol.model.UnsubscribePush.class).get(0).code()).isEqualTo(2000);
        await().until(() -> node.internalsForTests().hub().subscriberCount("hist:srv") == 0);

        node.sendMessage(UserConnections.of("alice"), json("{\"m\":1}"));
        await().until(() -> !c.pushes("", dev.weft.protocol.model.Message.class).isEmpty());

        c.session().serverRefresh(Tokens.inSeconds(7200));
        await().until(() -> !c.pushes("", dev.weft.protocol.model.RefreshPush.class).isEmpty());
        assertThat(c.pushes("", dev.weft.protocol.model.RefreshPush.class).get(0).ttl()).isBetween(7100, 7200);

        node.disconnect(UserConnections.of("alice"), DisconnectCode.FORCE_NO_RECONNECT.disconnect());
        assertThat(c.awaitDisconnect().code()).isEqualTo(DisconnectCode.FORCE_NO_RECONNECT.code());
    }

    @Test
    void unidirectionalConnectPushesConnectWithRequestedChannelsAndRecovers() {
        startSecure();
        node.publish("hist:u", json("0"), "", Map.of());
        var top = node.internalsForTests().broker().position("hist:u");
        node.publish("hist:u", json("1"), "", Map.of());
        node.publish("hist:u", json("2"), "", Map.of());

        RecordingTransport uni = new RecordingTransport(ProtocolType.JSON, true);
        ClientSession session = node.connect(uni);
        var position = new SubscribeRequest("hist:u", "", true, top.epoch(), top.offset(), null, false, true, false);
        session.connectUnidirectional(new ConnectRequest(Tokens.connect("alice", Tokens.inSeconds(60)), null,
                Map.of("hist:u", position), "", "", Map.of()), List.of("hist:u"));
        SubscribeResult sub = awaitConnectPush(uni).subs().get("hist:u");
        assertThat(sub.recovered()).isTrue();
        assertThat(sub.publications()).extracting(p -> new String(p.data(), StandardCharsets.UTF_8))
                .containsExactly("1", "2");
        node.publish("hist:u", json("3"), "", Map.of());
        await().until(() -> uni.replies().stream().anyMatch(r -> r.result() instanceof dev.weft.protocol.model.Push p
                && p.body() instanceof Publication pub && pub.offset() == top.offset() + 3));
    }

    @Test
    void unidirectionalConnectToForbiddenChannelIsPermissionDenied() {
        startSecure();
        RecordingTransport uni = new RecordingTransport(ProtocolType.JSON, true);
        ClientSession session = node.connect(uni);
        session.connectUnidirectional(connect(Tokens.connect("alice", Tokens.inSeconds(60))), List.of("closed:x"));
        assertThat(await().until(uni::closedWith, d -> d != null).code())
                .isEqualTo(DisconnectCode.PERMISSION_DENIED.code());
        assertThat(uni.frames()).isEmpty();
        await().until(() -> node.internalsForTests().hub().subscriberCount("closed:x") == 0 && node.connectionCount() == 0);
    }

    @Test
    void unidirectionalSubsAskForRecoverableSubscriptionsWithoutSayingSo() {
        startSecure();
        node.publish("hist:r", json("0"), "", Map.of());
        var top = node.internalsForTests().broker().position("hist:r");
        node.publish("hist:r", json("1"), "", Map.of());

        RecordingTransport uni = new RecordingTransport(ProtocolType.JSON, true);
        var position = new SubscribeRequest("", "", true, top.epoch(), top.offset(), null, false, false, false);
        node.connect(uni).connectUnidirectional(new ConnectRequest(Tokens.connect("alice", Tokens.inSeconds(60)),
                null, Map.of("hist:r", position), "", "", Map.of()), List.of("hist:r"));

        SubscribeResult sub = awaitConnectPush(uni).subs().get("hist:r");
        assertThat(sub.recoverable()).isTrue();
        assertThat(sub.recovered()).isTrue();
        assertThat(sub.publications()).hasSize(1);
    }

    @Test
    void personalChannelIsSubscribedServerSideWhenConfigured() {
        start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).subscribeToUserPersonalChannel(true)
                .personalChannelNamespace("users").build());
        RecordingTransport uni = new RecordingTransport(ProtocolType.JSON, true);
        node.connect(uni).connectUnidirectional(connect(Tokens.connect("alice", Tokens.inSeconds(60))), List.of());

        assertThat(awaitConnectPush(uni).subs()).containsOnlyKeys("users:#alice");
        node.publish("users:#alice", json("{\"n\":1}"), "", Map.of());
        await().until(() -> uni.replies().stream().anyMatch(r -> r.result() instanceof dev.weft.protocol.model.Push p
                && p.channel().equals("users:#alice") && p.body() instanceof Publication));

        ConnectResult bob = (ConnectResult) new TestClient(node)
                .call(connect(Tokens.connect("bob", Tokens.inSeconds(60)))).result();
        assertThat(bob.subs()).as("bidirectional connections get it too").containsOnlyKeys("users:#bob");
    }

    @Test
    void anonymousConnectionsHaveNoPersonalChannel() {
        start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).allowAnonymousConnectWithoutToken(true)
                .subscribeToUserPersonalChannel(true).build());
        TestClient c = new TestClient(node);
        ConnectResult result = (ConnectResult) c.call(connect("")).result();
        assertThat(result.subs()).isEmpty();
    }

    private static ConnectResult awaitConnectPush(RecordingTransport uni) {
        return await().until(() -> uni.replies().stream()
                .filter(r -> r.result() instanceof dev.weft.protocol.model.Push p && p.body() instanceof ConnectResult)
                .map(r -> (ConnectResult) ((dev.weft.protocol.model.Push) r.result()).body())
                .findFirst().orElse(null), r -> r != null);
    }

    @Test
    void userConnectionLimit() {
        start(ClientOptions.builder().tokenHmacSecretKey(Tokens.SECRET).userConnectionLimit(1).build());
        connected("alice");
        TestClient second = new TestClient(node);
        second.send(connect(Tokens.connect("alice", Tokens.inSeconds(60))));
        assertThat(second.awaitDisconnect().code()).isEqualTo(DisconnectCode.CONNECTION_LIMIT.code());
    }

    @Test
    void shutdownDisconnectsEveryoneWithReconnectCode() {
        startAnonymous();
        TestClient c = new TestClient(node);
        c.call(connect(""));
        node.shutdown(Duration.ofSeconds(1));
        assertThat(c.transport().closedWith().code()).isEqualTo(DisconnectCode.SHUTDOWN.code());
        assertThat(c.transport().closedWith().reconnect()).isTrue();
        assertThat(node.connectionCount()).isZero();
        node = null;
    }

    private SubscribeResult resubscribe(String channel, String epoch, long offset) {
        TestClient c = new TestClient(node);
        c.call(connect(""));
        var request = new SubscribeRequest(channel, "", true, epoch, offset, null, false, true, false);
        Reply reply = c.call(request);
        assertThat(reply.error()).isNull();
        return (SubscribeResult) reply.result();
    }
}
