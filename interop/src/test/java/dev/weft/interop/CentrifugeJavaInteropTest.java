package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ClientState;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.ErrorEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.HistoryOptions;
import io.github.centrifugal.centrifuge.HistoryResult;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.Publication;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionErrorEvent;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import io.github.centrifugal.centrifuge.SubscriptionState;
import io.github.centrifugal.centrifuge.UnsubscribedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Weft driven by the real {@code io.github.centrifugal:centrifuge-java} client (Protobuf over an OkHttp
 * WebSocket, subprotocol {@code centrifuge-protobuf}), in the {@code rec} namespace of
 * {@link InteropServer}: history 100, force_recovery.
 */
class CentrifugeJavaInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static InteropServer server;

    private Client client;

    @BeforeAll
    static void startServer() throws Exception {
        server = InteropServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClient() throws InterruptedException {
        if (client != null) {
            client.disconnect();
            client.close(5000);
        }
    }

    @Test
    void receivesServerApiPublicationsInOrderAndReadsThemFromHistory() throws Exception {
        Recorder recorder = new Recorder();
        client = connect("carol", recorder);
        String channel = "rec:java-order-" + System.nanoTime();
        Subscription sub = subscribe(channel, recorder);

        List<JsonNode> results = publish(channel, 0, 20);
        List<Long> offsets = results.stream().map(r -> r.path("offset").asLong()).toList();
        assertThat(offsets).as("server API offsets")
                .isEqualTo(LongStream.range(offsets.getFirst(), offsets.getFirst() + 20).boxed().toList());

        await().atMost(WAIT).untilAsserted(() -> {
            recorder.assertNoFailures();
            assertThat(recorder.publications).hasSizeGreaterThanOrEqualTo(20);
        });
        assertThat(recorder.publications).hasSize(20);
        assertThat(recorder.publications.stream().map(p -> p.getOffset()).toList()).isEqualTo(offsets);
        assertThat(recorder.publications.stream().map(p -> json(p.getData()).path("seq").asInt()).toList())
                .as("publication data, in publish order")
                .isEqualTo(IntStream.range(0, 20).boxed().toList());
        assertThat(json(recorder.publications.getFirst().getData()).path("text").asText()).isEqualTo("message 0");

        CompletableFuture<HistoryResult> history = new CompletableFuture<>();
        sub.history(new HistoryOptions.Builder().withLimit(100).build(), (err, result) -> {
            if (err != null) {
                history.completeExceptionally(err);
            } else {
                history.complete(result);
            }
        });
        HistoryResult page = history.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(page.getPublications().stream().map(Publication::getOffset).toList())
                .as("history, oldest first").isEqualTo(offsets);
        assertThat(page.getPublications().stream().map(p -> json(p.getData()).path("seq").asInt()).toList())
                .isEqualTo(IntStream.range(0, 20).boxed().toList());
        assertThat(page.getOffset()).isEqualTo(offsets.getLast());
        assertThat(page.getEpoch()).isEqualTo(results.getFirst().path("epoch").asText()).isNotEmpty();
        recorder.assertNoFailures();
    }

    @Test
    void recoversPublicationsMissedWhileDisconnected() throws Exception {
        Recorder recorder = new Recorder();
        client = connect("dave", recorder);
        String channel = "rec:java-recovery-" + System.nanoTime();
        subscribe(channel, recorder);
        assertThat(recorder.subscribed.getFirst().getRecoverable()).as("force_recovery").isTrue();

        publish(channel, 0, 1);
        await().atMost(WAIT).until(() -> recorder.publications.size() == 1);

        client.disconnect();
        await().atMost(WAIT).until(() -> client.getState() == ClientState.DISCONNECTED);
        List<Long> missed = publish(channel, 1, 10).stream().map(r -> r.path("offset").asLong()).toList();
        recorder.publications.clear();

        client.connect();
        await().atMost(WAIT).untilAsserted(() -> {
            recorder.assertNoFailures();
            assertThat(recorder.subscribed).hasSize(2);
            assertThat(recorder.publications).hasSizeGreaterThanOrEqualTo(10);
        });
        SubscribedEvent resubscribed = recorder.subscribed.get(1);
        assertThat(resubscribed.wasRecovering()).isTrue();
        assertThat(resubscribed.getRecovered()).isTrue();
        Thread.sleep(300); // nothing beyond the missed ten may follow
        assertThat(recorder.publications.stream().map(PublicationEvent::getOffset).toList()).isEqualTo(missed);
        assertThat(recorder.publications.stream().map(p -> json(p.getData()).path("seq").asInt()).toList())
                .isEqualTo(IntStream.rangeClosed(1, 10).boxed().toList());
        recorder.assertNoFailures();
    }

    private Client connect(String user, Recorder recorder) {
        Options options = new Options();
        options.setToken(InteropServer.connectionToken(user));
        options.setName("weft-interop-java");
        options.setTimeout(5000);
        Client c = new Client(server.websocketUrl(), options, recorder.clientListener);
        c.connect();
        await().atMost(WAIT).untilAsserted(() -> {
            recorder.assertNoFailures();
            assertThat(c.getState()).isEqualTo(ClientState.CONNECTED);
        });
        return c;
    }

    private Subscription subscribe(String channel, Recorder recorder) throws Exception {
        Subscription sub = client.newSubscription(channel, recorder);
        sub.subscribe();
        await().atMost(WAIT).untilAsserted(() -> {
            recorder.assertNoFailures();
            assertThat(sub.getState()).isEqualTo(SubscriptionState.SUBSCRIBED);
        });
        return sub;
    }

    /** Publishes {@code {"seq": i, "text": "message i"}} for i in [from, from + count) via the server API. */
    private static List<JsonNode> publish(String channel, int from, int count) throws IOException, InterruptedException {
        List<JsonNode> results = new ArrayList<>();
        for (int seq = from; seq < from + count; seq++) {
            ObjectNode data = JSON.createObjectNode().put("seq", seq).put("text", "message " + seq);
            results.add(server.publish(channel, data));
        }
        return results;
    }

    private static JsonNode json(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new AssertionError("publication data is not the JSON that was published: "
                    + new String(data, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    /**
     * Collects what the SDK reports, from its executor threads: publications and subscribed events in
     * arrival order, and anything that should fail the test.
     */
    private static final class Recorder extends SubscriptionEventListener {
        final List<PublicationEvent> publications = new CopyOnWriteArrayList<>();
        final List<SubscribedEvent> subscribed = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        final EventListener clientListener = new EventListener() {
            @Override
            public void onConnected(Client c, ConnectedEvent event) {
                // state is polled via Client.getState()
            }

            @Override
            public void onDisconnected(Client c, DisconnectedEvent event) {
                if (event.getCode() != 0) {
                    failures.add("disconnected by server: " + event.getCode() + " " + event.getReason());
                }
            }

            @Override
            public void onError(Client c, ErrorEvent event) {
                failures.add("client error: " + event.getError());
            }
        };

        @Override
        public void onPublication(Subscription sub, PublicationEvent event) {
            publications.add(event);
        }

        @Override
        public void onSubscribed(Subscription sub, SubscribedEvent event) {
            subscribed.add(event);
        }

        @Override
        public void onUnsubscribed(Subscription sub, UnsubscribedEvent event) {
            if (event.getCode() != 0) {
                failures.add("unsubscribed by server: " + event.getCode() + " " + event.getReason());
            }
        }

        @Override
        public void onError(Subscription sub, SubscriptionErrorEvent event) {
            failures.add("subscription error: " + event.getError());
        }

        void assertNoFailures() {
            assertThat(failures).as("errors reported by centrifuge-java").isEmpty();
        }
    }
}
