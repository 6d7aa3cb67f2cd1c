package dev.weft.nats;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.RecordingHandler;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only a broker shared by several nodes shows: engines with connections of their own, as separate Weft
 * nodes would have, publishing into and subscribing to the same channels on the machine's NATS.
 */
class NatsBrokerClusterTest {

    private static final PublishOptions HISTORY = PublishOptions.withHistory(10_000, Duration.ofMinutes(10));

    private SharedNats nats;

    @BeforeEach
    void open() {
        nats = new SharedNats();
    }

    @AfterEach
    void close() throws Exception {
        nats.close();
    }

    @Test
    void publishersOnSeveralNodesGetContiguousOffsetsAndASubscriberOnAnotherNodeGetsThemInOrder()
            throws Exception {
        int nodes = 3;
        int threadsPerNode = 2;
        int perThread = 150;
        String channel = "race:one";
        Broker subscriber = nats.engine().broker();
        RecordingHandler events = new RecordingHandler();
        subscriber.setEventHandler(events);
        subscriber.subscribe(channel);
        List<Broker> publishers = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            publishers.add(nats.engine().broker());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes * threadsPerNode);
        List<Future<List<Long>>> futures = new ArrayList<>();
        long began;
        try {
            for (int t = 0; t < nodes * threadsPerNode; t++) {
                Broker broker = publishers.get(t % nodes);
                String mark = "t" + t + ":";
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        offsets.add(broker.publish(channel, (mark + i).getBytes(UTF_8), HISTORY).position().offset());
                    }
                    return offsets;
                }));
            }
            began = System.nanoTime();
            start.countDown();
            for (Future<List<Long>> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long elapsedMs = (System.nanoTime() - began) / 1_000_000;
        int total = nodes * threadsPerNode * perThread;
        System.out.printf("%d publications by %d threads on %d nodes into one channel: %d ms (%.0f/s)%n",
                total, nodes * threadsPerNode, nodes, elapsedMs, total * 1000.0 / Math.max(1, elapsedMs));

        List<Long> returned = new ArrayList<>();
        futures.forEach(f -> returned.addAll(f.resultNow()));
        returned.sort(Comparator.naturalOrder());
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(returned).as("offsets handed out: no gap, no duplicate").isEqualTo(expected);

        HistoryPage history = subscriber.history(channel, HistoryFilter.all());
        assertThat(history.publications()).extracting(Publication::offset).isEqualTo(expected);
        for (int t = 0; t < nodes * threadsPerNode; t++) {
            String mark = "t" + t + ":";
            List<Integer> own = history.publications().stream().map(p -> new String(p.data(), UTF_8))
                    .filter(d -> d.startsWith(mark)).map(d -> Integer.parseInt(d.substring(mark.length()))).toList();
            assertThat(own).as("thread %d's publications in its order", t).isSorted().hasSize(perThread);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> events.publications(channel).size() >= total);
        assertThat(events.publications(channel)).extracting(Publication::offset).isEqualTo(expected);
        assertThat(events.overlaps()).isZero();
    }

    @Test
    void anIdempotencyKeyRepeatedConcurrentlyOnSeveralNodesPublishesOnce() throws Exception {
        String channel = "idempotent:race";
        List<Broker> nodes = List.of(nats.engine().broker(), nats.engine().broker());
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<dev.weft.core.broker.PublishOutcome>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                Broker broker = nodes.get(t % nodes.size());
                String data = "attempt-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return broker.publish(channel, data.getBytes(UTF_8), HISTORY.withIdempotencyKey("order-42"));
                }));
            }
            start.countDown();
            for (Future<dev.weft.core.broker.PublishOutcome> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<dev.weft.core.broker.PublishOutcome> outcomes = futures.stream().map(Future::resultNow).toList();
        assertThat(outcomes).filteredOn(o -> !o.suppressed()).hasSize(1);
        assertThat(outcomes).extracting(dev.weft.core.broker.PublishOutcome::position)
                .containsOnly(new StreamPosition(1, nodes.get(0).position(channel).epoch()));
        assertThat(nodes.get(1).history(channel, HistoryFilter.all()).publications()).hasSize(1);
    }

    @Test
    void aPublicationWhoseFanOutWasLostIsFetchedBeforeTheNextOne() throws Exception {
        String channel = "lost:fan-out";
        NatsEngine node = nats.engine();
        Broker broker = node.broker();
        RecordingHandler events = new RecordingHandler();
        broker.setEventHandler(events);
        broker.subscribe(channel);
        StreamPosition first = broker.publish(channel, "one".getBytes(UTF_8), HISTORY).position();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.publications(channel).size() == 1);

        // A publisher that died between its append and its fan-out: offset 2 is in history only.
        try (Connection raw = Nats.connect(nats.url)) {
            JetStream js = raw.jetStream();
            String subject = nats.prefix + ".h." + SubjectTokens.token(channel);
            long lastSeq = raw.jetStreamManagement().getLastMessage(
                    NatsEngine.resourceName(nats.prefix, "HISTORY"), subject).getSeq();
            Envelope orphan = new Envelope(Envelope.Kind.PUBLICATION, 2, first.epoch(), lastSeq, Long.MAX_VALUE, 0,
                    10_000, null, Map.of(), "two".getBytes(UTF_8));
            js.publish(NatsMessage.builder().subject(subject)
                    .headers(new Headers().put("Nats-Expected-Last-Subject-Sequence", Long.toString(lastSeq)))
                    .data(orphan.encode()).build());
        }
        assertThat(broker.publish(channel, "three".getBytes(UTF_8), HISTORY).position().offset()).isEqualTo(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> events.publications(channel).size() == 3);
        assertThat(events.publications(channel)).extracting(p -> new String(p.data(), UTF_8))
                .containsExactly("one", "two", "three");
        assertThat(events.publications(channel)).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
    }

    @Test
    void streamWhoseMetaTtlPassedStartsANewEpochThatEveryNodeAgreesOn() {
        String channel = "meta:ttl";
        Broker a = nats.engine().broker();
        Broker b = nats.engine().broker();
        PublishOptions shortMeta = HISTORY.withMetaTtl(Duration.ofSeconds(1));
        a.publish(channel, "old-1".getBytes(UTF_8), shortMeta);
        StreamPosition old = a.publish(channel, "old-2".getBytes(UTF_8), shortMeta).position();

        await().atMost(Duration.ofSeconds(5)).until(() -> a.position(channel).offset() == 0);

        StreamPosition fresh = a.position(channel);
        assertThat(fresh.epoch()).isNotEqualTo(old.epoch());
        assertThat(b.position(channel)).as("the other node derives the same next epoch").isEqualTo(fresh);
        assertThat(a.history(channel, HistoryFilter.all()).publications()).isEmpty();
        assertThat(b.publish(channel, "new".getBytes(UTF_8), HISTORY).position())
                .isEqualTo(new StreamPosition(1, fresh.epoch()));
        assertThat(a.history(channel, HistoryFilter.all()).publications())
                .extracting(p -> new String(p.data(), UTF_8)).containsExactly("new");
    }

    @Test
    void channelNamesThatAreNotSubjectTokensGetStreamsOfTheirOwn() {
        Broker broker = nats.engine().broker();
        RecordingHandler events = new RecordingHandler();
        broker.setEventHandler(events);
        List<String> channels = List.of("a.b", "a", "b", "a b", "*", ">", "a.>", "chat:ü€", "x=2Ey", "");
        channels.forEach(broker::subscribe);
        for (String channel : channels) {
            broker.publish(channel, ("in " + channel).getBytes(UTF_8), HISTORY);
        }
        for (String channel : channels) {
            assertThat(broker.history(channel, HistoryFilter.all()).publications())
                    .extracting(p -> new String(p.data(), UTF_8)).as(channel).containsExactly("in " + channel);
            await().atMost(Duration.ofSeconds(5)).until(() -> events.publications(channel).size() == 1);
            assertThat(new String(events.publications(channel).get(0).data(), UTF_8)).isEqualTo("in " + channel);
        }
    }

    @Test
    void aLongHistoryReadsBackWholeAndInOrderFromAnotherNode() {
        String channel = "long";
        Broker writer = nats.engine().broker();
        Broker reader = nats.engine().broker();
        int count = 500;
        long began = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            writer.publish(channel, ("m" + i).getBytes(UTF_8), HISTORY);
        }
        long published = System.nanoTime();
        HistoryPage all = reader.history(channel, HistoryFilter.all());
        long read = System.nanoTime();
        HistoryPage lastTen = reader.history(channel, new HistoryFilter(null, 10, true, Duration.ZERO));
        long readTen = System.nanoTime();
        System.out.printf("%d sequential publishes: %.2f ms each; reading all %d: %d ms; the newest 10: %.1f ms%n",
                count, (published - began) / 1e6 / count, count, (read - published) / 1_000_000,
                (readTen - read) / 1e6);

        assertThat(all.publications()).extracting(Publication::offset)
                .isEqualTo(LongStream.rangeClosed(1, count).boxed().toList());
        assertThat(all.publications()).extracting(p -> new String(p.data(), UTF_8)).startsWith("m1", "m2")
                .endsWith("m" + count);
        assertThat(lastTen.publications()).extracting(Publication::offset)
                .isEqualTo(LongStream.rangeClosed(count - 9, count).boxed().sorted(Comparator.reverseOrder()).toList());
    }

    @Test
    void historySizeIsEnforcedInTheStreamNotOnlyOnRead() throws Exception {
        String channel = "trim";
        Broker broker = nats.engine().broker();
        PublishOptions eight = PublishOptions.withHistory(8, Duration.ofMinutes(10));
        for (int i = 0; i < 100; i++) {
            broker.publish(channel, ("m" + i).getBytes(UTF_8), eight);
        }
        try (Connection raw = Nats.connect(nats.url)) {
            long kept = raw.jetStreamManagement().getStreamInfo(NatsEngine.resourceName(nats.prefix, "HISTORY"))
                    .getStreamState().getMsgCount();
            System.out.println("messages kept in the stream for a history size of 8 after 100 publications: " + kept);
            assertThat(kept).isBetween(8L, 10L);
        }
        assertThat(broker.history(channel, HistoryFilter.all()).publications()).extracting(Publication::offset)
                .isEqualTo(LongStream.rangeClosed(93, 100).boxed().toList());
    }

    @Test
    void theSweepLeavesAnIdleChannelOneMessageAndChangesNoPosition() throws Exception {
        NatsBroker broker = (NatsBroker) nats.engine().broker();
        PublishOptions shortLived = PublishOptions.withHistory(100, Duration.ofSeconds(1));
        PublishOptions shortMeta = shortLived.withMetaTtl(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            broker.publish("idle:expired", bytes("p" + i), shortLived);
            broker.publish("idle:meta", bytes("p" + i), shortMeta);
            broker.publish("idle:live", bytes("p" + i), HISTORY);
        }
        long later = System.currentTimeMillis() + 3_000;
        StreamPosition expiredBefore = broker.position("idle:expired");

        broker.sweepIdleHistory(later);

        assertThat(messagesOn("idle:expired")).as("publications expired: the meta message is kept").isEqualTo(1);
        assertThat(messagesOn("idle:meta")).as("meta expired: one tombstone").isEqualTo(1);
        assertThat(messagesOn("idle:live")).as("nothing expired: untouched").isEqualTo(5);
        assertThat(broker.position("idle:expired")).isEqualTo(expiredBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.position("idle:meta").offset() == 0);
        StreamPosition metaExpired = broker.position("idle:meta");
        assertThat(broker.publish("idle:meta", bytes("again"), shortMeta).position())
                .as("the next stream starts with the epoch readers were told")
                .isEqualTo(new StreamPosition(1, metaExpired.epoch()));
        assertThat(broker.publish("idle:expired", bytes("p5"), shortLived).position().offset()).isEqualTo(6);
    }

    private long messagesOn(String channel) throws Exception {
        try (io.nats.client.Connection connection = io.nats.client.Nats.connect(SharedNats.URL)) {
            var subjects = connection.jetStreamManagement().getStreamInfo(
                    NatsEngine.resourceName(nats.prefix, "HISTORY"),
                    io.nats.client.api.StreamInfoOptions.filterSubjects(nats.prefix + ".h." + SubjectTokens.token(channel)))
                    .getStreamState().getSubjects();
            return subjects == null || subjects.isEmpty() ? 0 : subjects.get(0).getCount();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
