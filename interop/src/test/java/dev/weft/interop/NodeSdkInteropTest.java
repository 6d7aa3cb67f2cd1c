package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.DisconnectCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.weft.interop.NodeScript.longs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weft driven by the real {@code centrifuge} npm SDK (pinned in {@code interop/node/package.json}) in
 * both protocol formats: the JSON build ({@code import 'centrifuge'}) and the Protobuf build
 * ({@code import 'centrifuge/build/protobuf'}, subprotocol {@code centrifuge-protobuf}), over each transport
 * the SDK has: WebSocket, and the bidirectional emulation transports {@code http_stream} (JSON and
 * Protobuf) and {@code sse} (JSON only, as in Centrifugo), configured as the SDK's {@code transports} array
 * with {@code emulationEndpoint}.
 *
 * <p>Each scenario checks itself and exits non-zero on the first failed check; this class then checks
 * the behaviour again from the JSON lines the scenario printed, so a scenario that silently stopped
 * checking something still fails here.
 */
class NodeSdkInteropTest {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    private static InteropServer server;

    @BeforeAll
    static void startServer() throws Exception {
        NodeScript.ensureInstalled();
        server = InteropServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Every transport the SDK offers, with each format it supports on it. */
    static Stream<Arguments> clients() {
        return Stream.of(Arguments.of("websocket", "json"), Arguments.of("websocket", "protobuf"),
                Arguments.of("http_stream", "json"), Arguments.of("http_stream", "protobuf"),
                Arguments.of("sse", "json"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void pubSubPresenceJoinLeaveAndHistoryWorkWithCentrifugeJs(String transport, String format) throws Exception {
        NodeScript.Result run = runScenario("basic.mjs", transport, format);

        JsonNode join = run.requireEvent("join");
        assertThat(join.path("user").asText()).as("join user").isEqualTo("bob");

        JsonNode published = run.requireEvent("api_published");
        long apiOffset = published.path("offset").asLong();
        JsonNode apiPub = run.requireEvent("api_publication");
        assertThat(apiPub.path("data").path("text").asText()).isEqualTo("from the server API");
        assertThat(apiPub.path("offset").asLong()).as("offset of the server-API publication").isEqualTo(apiOffset);

        JsonNode clientPub = run.requireEvent("client_publication");
        assertThat(clientPub.path("data").path("text").asText()).isEqualTo("hello from bob");
        assertThat(clientPub.path("user").asText()).as("publisher user").isEqualTo("bob");
        assertThat(clientPub.path("offset").asLong()).isEqualTo(apiOffset + 1);

        List<String> presenceUsers = new ArrayList<>();
        run.requireEvent("presence").path("clients").forEach(c -> presenceUsers.add(c.path("user").asText()));
        assertThat(presenceUsers).as("presence users").containsExactlyInAnyOrder("alice", "bob");

        JsonNode stats = run.requireEvent("presence_stats");
        assertThat(stats.path("numClients").asInt()).isEqualTo(2);
        assertThat(stats.path("numUsers").asInt()).isEqualTo(2);

        JsonNode history = run.requireEvent("history");
        List<Integer> historyNs = new ArrayList<>();
        List<Long> historyOffsets = new ArrayList<>();
        history.path("publications").forEach(p -> {
            historyNs.add(p.path("data").path("n").asInt());
            historyOffsets.add(p.path("offset").asLong());
        });
        assertThat(historyNs).as("history, oldest first").containsExactly(1, 2);
        assertThat(historyOffsets).containsExactly(apiOffset, apiOffset + 1);
        assertThat(history.path("epoch").asText()).isEqualTo(published.path("epoch").asText()).isNotEmpty();

        assertThat(run.requireEvent("leave").path("user").asText()).as("leave user").isEqualTo("bob");
        assertThat(run.requireEvent("presence_stats_after_leave").path("numClients").asInt()).isEqualTo(1);
        run.requireEvent("done");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void recoversMissedPublicationsInOrderAndReportsGapsLargerThanHistory(String transport, String format)
            throws Exception {
        NodeScript.Result run = runScenario("recovery.mjs", transport, format);

        assertThat(run.requireEvent("subscribed_initial").path("recoverable").asBoolean())
                .as("force_recovery makes the subscription recoverable").isTrue();

        JsonNode recovery = run.requireEvent("recovery");
        assertThat(recovery.path("wasRecovering").asBoolean()).isTrue();
        assertThat(recovery.path("recovered").asBoolean()).isTrue();
        List<Long> published = longs(recovery.path("publishedOffsets"));
        assertThat(published).hasSize(50);
        assertThat(published).as("server API offsets are contiguous")
                .isEqualTo(LongStream.range(published.getFirst(), published.getFirst() + 50).boxed().toList());
        assertThat(longs(recovery.path("offsets"))).as("recovered offsets, in order").isEqualTo(published);
        assertThat(longs(recovery.path("seqs"))).as("recovered data, in order")
                .isEqualTo(LongStream.rangeClosed(1, 50).boxed().toList());

        JsonNode gap = run.requireEvent("recovery_gap");
        assertThat(gap.path("wasRecovering").asBoolean()).isTrue();
        assertThat(gap.path("recovered").asBoolean()).as("150 missed > history_size 100").isFalse();
        long top = gap.path("topOffset").asLong();
        assertThat(top).isEqualTo(published.getLast() + 150);
        List<Long> delivered = longs(gap.path("deliveredOffsets"));
        assertThat(delivered.size()).isLessThanOrEqualTo(InteropServer.REC_HISTORY_SIZE);
        if (!delivered.isEmpty()) {
            assertThat(delivered).as("whatever comes with an unrecovered subscribe is the newest, in order")
                    .isEqualTo(LongStream.rangeClosed(top - delivered.size() + 1, top).boxed().toList());
        }

        JsonNode live = run.requireEvent("live_after_gap");
        assertThat(live.path("offset").asLong()).isEqualTo(top + 1);
        run.requireEvent("done");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "protobuf"})
    void serverApiSubscribeAndUnsubscribeReachCentrifugeJsAsServerSideSubscriptions(String format) throws Exception {
        NodeScript.Result run = runScenario("server_subs.mjs", "websocket", format);

        JsonNode subscribed = run.requireEvent("server_subscribed");
        assertThat(subscribed.path("data").path("welcome").asText()).as("subscribe push data").isEqualTo("alice");
        assertThat(subscribed.path("channel").asText()).startsWith("chat:server-sub-");

        JsonNode publication = run.requireEvent("server_publication");
        assertThat(publication.path("data").path("n").asInt()).isEqualTo(1);
        assertThat(publication.path("offset").asLong()).isPositive();

        assertThat(run.requireEvent("server_unsubscribed").path("channel").asText())
                .isEqualTo(subscribed.path("channel").asText());
        assertThat(run.requireEvent("after_unsubscribe").path("delivered").asInt()).isZero();
        run.requireEvent("done");
    }

    /**
     * The server ends the connection (3011, reconnect) while publications keep flowing: the SDK reconnects
     * by itself and recovers, and ends up with every publication once, in order. Over emulation the code
     * travels as a disconnect push before the stream ends.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void recoversEverythingInOrderAfterTheServerDropsTheConnection(String transport, String format)
            throws Exception {
        List<String> dropped = new CopyOnWriteArrayList<>();
        NodeScript.Result run = runScenario("drop.mjs", transport, format, event -> {
            if ("drop_me".equals(event.path("event").asText())) {
                String client = event.path("client").asText();
                ClientSession session = server.node().internalsForTests().hub().member(client);
                assertThat(session).as("session of client %s", client).isNotNull();
                assertThat(session.transport().name()).isEqualTo(transport);
                session.disconnect(DisconnectCode.FORCE_RECONNECT.disconnect());
                dropped.add(client);
            }
        });
        assertThat(dropped).hasSize(1);

        JsonNode drop = run.requireEvent("dropped");
        assertThat(drop.path("code").asInt()).as("the code the SDK saw").isEqualTo(3011);
        JsonNode resubscribed = run.requireEvent("resubscribed");
        assertThat(resubscribed.path("wasRecovering").asBoolean()).isTrue();
        assertThat(resubscribed.path("recovered").asBoolean()).isTrue();
        assertThat(resubscribed.path("client").asText()).isNotEqualTo(dropped.getFirst());
        assertThat(resubscribed.path("published").asInt()).as("publications kept flowing during the gap")
                .isGreaterThan(drop.path("published").asInt());
        resubscribed.path("transports").forEach(t -> assertThat(t.asText()).isEqualTo(transport));

        JsonNode received = run.requireEvent("received");
        List<Long> seqs = longs(received.path("seqs"));
        assertThat(seqs).as("every publication exactly once, in order")
                .isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        assertThat(seqs).hasSize(120);
        assertThat(longs(received.path("offsets"))).isEqualTo(longs(received.path("publishedOffsets")));
        run.requireEvent("done");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void expiringConnectionAndSubscriptionTokensAreRefreshedThroughGetTokenWithoutLosingSubscriptions(
            String transport, String format) throws Exception {
        NodeScript.Result run = runScenario("token_refresh.mjs", transport, format);
        JsonNode refreshed = run.requireEvent("refreshed");
        assertThat(refreshed.path("connectionTokens").asInt()).as("connection getToken calls").isGreaterThanOrEqualTo(2);
        assertThat(refreshed.path("subscriptionTokens").asInt()).as("subscription getToken calls")
                .isGreaterThanOrEqualTo(3);
        assertThat(refreshed.path("clientStates")).as("client state changes").isEmpty();
        assertThat(refreshed.path("publicStates")).isEmpty();
        assertThat(refreshed.path("privateStates")).isEmpty();
        assertThat(refreshed.path("clientState").asText()).isEqualTo("connected");
        assertThat(refreshed.path("privateState").asText()).isEqualTo("subscribed");
        run.requireEvent("done");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void fossilDeltaSubscriptionDecodesFlaggedAndUnflaggedPublicationsToTheSameDataAsAFullOne(String transport,
                                                                                               String format)
            throws Exception {
        NodeScript.Result run = runScenario("delta.mjs", transport, format);

        JsonNode live = run.requireEvent("live");
        assertThat(live.path("sameAsFull").asBoolean()).isTrue();
        assertThat(live.path("numFullPayloads").asInt()).as("only the first publication whole").isEqualTo(1);
        assertThat(live.path("numDeltaPayloads").asInt()).isEqualTo(39);
        assertThat(live.path("bytesReceived").asLong()).as("bytes on the wire vs decoded")
                .isLessThan(live.path("bytesDecoded").asLong() / 10);
        JsonNode mixed = run.requireEvent("mixed");
        assertThat(mixed.path("sameAsFull").asBoolean()).isTrue();
        assertThat(mixed.path("fullPayloads").asInt()).as("published without delta: whole").isEqualTo(5);
        assertThat(mixed.path("deltaPayloads").asInt()).as("published with delta").isEqualTo(5);
        JsonNode recovered = run.requireEvent("recovered");
        assertThat(recovered.path("recovered").asBoolean()).isTrue();
        assertThat(recovered.path("sameAsFull").asBoolean()).isTrue();
        assertThat(recovered.path("numDeltaPayloads").asInt())
                .isGreaterThanOrEqualTo(mixed.path("numDeltaPayloads").asInt() + 9);
        run.requireEvent("done");
    }

    @ParameterizedTest(name = "websocket {0}")
    @ValueSource(strings = {"json", "protobuf"})
    void getStateReloadsAfterARecoveryRefusedWithUnrecoverablePosition(String format) throws Exception {
        NodeScript.Result run = runScenario("getstate.mjs", "websocket", format);

        JsonNode state = run.requireEvent("getstate");
        assertThat(state.path("calls").asInt()).as("getState called again after 112").isEqualTo(2);
        assertThat(state.path("reloadedOffset").asLong()).isEqualTo(state.path("staleOffset").asLong() + 150);
        assertThat(state.path("firstLiveOffset").asLong()).as("nothing between the reloaded state and live")
                .isEqualTo(state.path("publishedLiveOffset").asLong())
                .isEqualTo(state.path("reloadedOffset").asLong() + 1);
        run.requireEvent("done");
    }

    private static NodeScript.Result runScenario(String script, String transport, String format) throws Exception {
        return runScenario(script, transport, format, event -> { });
    }

    private static NodeScript.Result runScenario(String script, String transport, String format,
                                                 Consumer<JsonNode> onEvent) throws Exception {
        Map<String, String> env = Map.of(
                "WEFT_URL", server.websocketUrl(),
                "WEFT_API_URL", server.apiUrl(),
                "WEFT_API_KEY", InteropServer.API_KEY,
                "WEFT_HMAC_SECRET", InteropServer.HMAC_SECRET,
                "WEFT_TOKEN", InteropServer.connectionToken("alice"),
                "WEFT_TOKEN_2", InteropServer.connectionToken("bob"),
                "FORMAT", format,
                "WEFT_TRANSPORT", transport,
                "WEFT_CHANNEL_SUFFIX", transport + "-" + format + "-" + System.nanoTime(),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis()));
        NodeScript.Result run = NodeScript.runScript(script, env, SCRIPT_TIMEOUT, onEvent);
        if (run.exitCode() != 0) {
            System.err.println(run.transcript());
        } else {
            System.out.print("--- " + script + " (" + transport + ", " + format + ") result lines\n" + run.stdout());
        }
        assertThat(run.exitCode()).as("%s (%s, %s) failed:%n%s", script, transport, format, run.transcript())
                .isZero();
        return run;
    }
}
