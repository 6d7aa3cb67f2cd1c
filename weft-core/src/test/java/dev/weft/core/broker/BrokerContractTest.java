package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The {@link Broker} contract, run against every implementation: {@code MemoryBrokerTest},
 * {@code RedisBrokerTest}, {@code NatsBrokerTest} extend this class and supply {@link #newBroker()}.
 *
 * <p>Works for brokers backed by a shared network service: every test uses channels with a random prefix,
 * delivery is awaited (up to {@link #deliveryTimeout()}) rather than expected on return, and time is never
 * faked — the one expiry test uses a real one-second TTL. Tests that need to move time belong in the
 * implementation's own test. Absence of a delivery is checked behind a later event on the same channel,
 * relying on per-channel delivery order, so no test waits for something not to happen.
 */
public abstract class BrokerContractTest {

    private static final Duration LONG_TTL = Duration.ofMinutes(10);

    /** The broker under test, fresh for each test and closed after it. */
    protected Broker broker;
    /** Records what {@link #broker} delivers. */
    protected RecordingHandler handler;
    private String prefix;

    /** A new broker, not yet given an event handler. */
    protected abstract Broker newBroker();

    /**
     * How many channels {@link #broker} keeps anything for (stream meta, history, idempotency results,
     * retired epochs), as the implementation stores them: map entries, rows, keys under its prefix. Lets the
     * contract check that reading a channel keeps nothing.
     */
    protected abstract long storedChannels();

    /** How long an asynchronous broker may take to deliver. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void openBroker() {
        prefix = uniquePrefix();
        broker = newBroker();
        handler = new RecordingHandler();
        broker.setEventHandler(handler);
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A channel name unique to this test. */
    protected String channel(String name) {
        return prefix + name;
    }

    // ---- offsets and epoch ------------------------------------------------------------------------------

    @Test
    void firstPublicationGetsOffsetOneAndEachNextOneMore() {
        String ch = channel("offsets");
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PublishOutcome outcome = broker.publish(ch, bytes("m" + i), history(10));
            assertThat(outcome.suppressed()).isFalse();
            offsets.add(outcome.position().offset());
        }
        assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(broker.position(ch).offset()).isEqualTo(5);
    }

    @Test
    void newStreamHasOffsetZeroAndTheEpochItsPublicationsWillGet() {
        String ch = channel("epoch");
        StreamPosition initial = broker.position(ch);
        assertThat(initial.offset()).isZero();
        assertThat(initial.epoch()).isNotEmpty();
        assertThat(broker.position(ch)).isEqualTo(initial);

        for (int i = 1; i <= 3; i++) {
            assertThat(broker.publish(ch, bytes("m" + i), history(10)).position())
                    .isEqualTo(new StreamPosition(i, initial.epoch()));
        }
        assertThat(broker.position(ch)).isEqualTo(new StreamPosition(3, initial.epoch()));
    }

    @Test
    void readingChannelsThatNeverHadAPublicationKeepsNothing() {
        long before = storedChannels();
        for (int i = 0; i < 1_000; i++) {
            String ch = channel("fresh-" + i);
            broker.subscribe(ch);
            StreamPosition position = broker.position(ch);
            broker.history(ch, HistoryFilter.since(position, 10));
            broker.history(ch, new HistoryFilter(null, -1, true, Duration.ofHours(1)));
            broker.removeHistory(ch);
            broker.unsubscribe(ch);
        }

        assertThat(storedChannels()).isEqualTo(before);
    }

    @Test
    void clientPositionedOnAnEmptyStreamRecoversItsFirstPublications() {
        String ch = channel("recover-empty");
        StreamPosition told = broker.position(ch);
        assertThat(broker.history(ch, HistoryFilter.since(told, 10)).position()).isEqualTo(told);

        publishNumbered(ch, 2, history(10));

        HistoryPage missed = broker.history(ch, HistoryFilter.since(told, 10));
        assertThat(missed.position()).isEqualTo(new StreamPosition(2, told.epoch()));
        assertThat(offsets(missed.publications())).containsExactly(1L, 2L);
    }

    @Test
    void droppedStreamsNeverHandTheirEpochOutAgain() {
        String ch = channel("drops");
        List<String> epochs = new ArrayList<>();
        for (int life = 0; life < 3; life++) {
            StreamPosition empty = broker.position(ch);
            assertThat(broker.position(ch)).as("stable while empty").isEqualTo(empty);
            assertThat(empty.offset()).isZero();
            assertThat(epochs).doesNotContain(empty.epoch());
            epochs.add(empty.epoch());
            assertThat(broker.publish(ch, bytes("m"), history(10)).position())
                    .isEqualTo(new StreamPosition(1, empty.epoch()));
            broker.removeHistory(ch);
        }
    }

    @Test
    void channelsHaveIndependentStreams() {
        String a = channel("a");
        String b = channel("b");
        broker.publish(a, bytes("a1"), history(10));
        broker.publish(a, bytes("a2"), history(10));
        assertThat(broker.publish(b, bytes("b1"), history(10)).position().offset()).isEqualTo(1);

        assertThat(texts(broker.history(a, HistoryFilter.all()).publications())).containsExactly("a1", "a2");
        assertThat(texts(broker.history(b, HistoryFilter.all()).publications())).containsExactly("b1");
    }

    // ---- history ------------------------------------------------------------------------------------------

    @Test
    void historyReturnsAllPublicationsInOrderWithTheirInfoAndTags() {
        String ch = channel("history");
        ClientInfo alice = new ClientInfo("alice", "conn-1", null, null);
        broker.publish(ch, bytes("a"), history(10).withInfo(alice).withTags(Map.of("k", "v")));
        broker.publish(ch, bytes("b"), history(10));
        StreamPosition last = broker.publish(ch, bytes("c"), history(10)).position();

        HistoryPage page = broker.history(ch, HistoryFilter.all());

        assertThat(texts(page.publications())).containsExactly("a", "b", "c");
        assertThat(offsets(page.publications())).containsExactly(1L, 2L, 3L);
        assertThat(page.position()).isEqualTo(last);
        Publication first = page.publications().get(0);
        assertThat(first.info().user()).isEqualTo("alice");
        assertThat(first.info().client()).isEqualTo("conn-1");
        assertThat(first.tags()).containsExactlyEntriesOf(Map.of("k", "v"));
    }

    @Test
    void sinceReturnsOnlyStrictlyNewerPublicationsWhateverTheEpoch() {
        String ch = channel("since");
        publishNumbered(ch, 5, history(10));
        String epoch = broker.position(ch).epoch();

        assertThat(offsets(broker.history(ch, HistoryFilter.since(new StreamPosition(2, epoch), -1))
                .publications())).containsExactly(3L, 4L, 5L);
        assertThat(offsets(broker.history(ch, HistoryFilter.since(new StreamPosition(2, "another-epoch"), -1))
                .publications())).containsExactly(3L, 4L, 5L);
        assertThat(offsets(broker.history(ch, HistoryFilter.since(new StreamPosition(0, epoch), -1))
                .publications())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(broker.history(ch, HistoryFilter.since(new StreamPosition(5, epoch), -1)).publications())
                .isEmpty();
    }

    @Test
    void limitAndReverseSelectFromTheRightEnd() {
        String ch = channel("limit");
        publishNumbered(ch, 5, history(10));
        String epoch = broker.position(ch).epoch();

        assertThat(offsets(page(ch, null, 2, false))).containsExactly(1L, 2L);
        assertThat(offsets(page(ch, null, -1, false))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(offsets(page(ch, null, 2, true))).containsExactly(5L, 4L);
        assertThat(offsets(page(ch, null, -1, true))).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(offsets(page(ch, new StreamPosition(1, epoch), 2, false))).containsExactly(2L, 3L);
        assertThat(offsets(page(ch, new StreamPosition(4, epoch), -1, true))).containsExactly(3L, 2L, 1L);
        assertThat(offsets(page(ch, new StreamPosition(4, epoch), 2, true))).containsExactly(3L, 2L);
        assertThat(offsets(page(ch, null, 100, false))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void zeroLimitReturnsThePositionOnly() {
        String ch = channel("position-only");
        StreamPosition last = publishNumbered(ch, 3, history(10));

        HistoryPage page = broker.history(ch, new HistoryFilter(null, 0, false, Duration.ZERO));

        assertThat(page.publications()).isEmpty();
        assertThat(page.position()).isEqualTo(last);
        assertThat(broker.history(ch, HistoryFilter.POSITION_ONLY).publications()).isEmpty();
    }

    @Test
    void historySizeKeepsTheNewestPublications() {
        String ch = channel("bounded");
        StreamPosition last = publishNumbered(ch, 10, history(3));

        HistoryPage page = broker.history(ch, HistoryFilter.all());

        assertThat(offsets(page.publications())).containsExactly(8L, 9L, 10L);
        assertThat(texts(page.publications())).containsExactly("m8", "m9", "m10");
        assertThat(page.position()).isEqualTo(last);
    }

    @Test
    void historyEntriesExpireAfterTheirTtlWithoutChangingThePosition() {
        String ch = channel("ttl");
        PublishOptions oneSecond = PublishOptions.withHistory(10, Duration.ofSeconds(1));
        broker.publish(ch, bytes("a"), oneSecond);
        StreamPosition last = broker.publish(ch, bytes("b"), oneSecond).position();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.history(ch, HistoryFilter.all()).publications().isEmpty());

        assertThat(broker.position(ch)).isEqualTo(last);
        assertThat(broker.publish(ch, bytes("c"), oneSecond).position())
                .isEqualTo(new StreamPosition(3, last.epoch()));
    }

    @Test
    void removeHistoryEmptiesHistoryAndStartsANewEpoch() {
        String ch = channel("remove");
        StreamPosition before = publishNumbered(ch, 3, history(10));

        broker.removeHistory(ch);

        HistoryPage page = broker.history(ch, HistoryFilter.all());
        assertThat(page.publications()).isEmpty();
        assertThat(page.position().offset()).isZero();
        assertThat(page.position().epoch()).isNotEmpty().isNotEqualTo(before.epoch());
        assertThat(broker.publish(ch, bytes("after"), history(10)).position())
                .isEqualTo(new StreamPosition(1, page.position().epoch()));
    }

    @Test
    void streamMetaExpiresAfterMetaTtlWithoutPublicationsAndTheNextStreamHasANewEpoch() {
        String ch = channel("meta-ttl");
        PublishOptions oneSecondMeta = history(10).withMetaTtl(Duration.ofSeconds(1));
        StreamPosition before = broker.publish(ch, bytes("a"), oneSecondMeta).position();

        await().atMost(Duration.ofSeconds(5)).until(() -> broker.position(ch).offset() == 0);

        StreamPosition after = broker.position(ch);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(broker.history(ch, HistoryFilter.all()).publications()).as("history goes with its epoch").isEmpty();
        assertThat(broker.publish(ch, bytes("b"), oneSecondMeta).position())
                .isEqualTo(new StreamPosition(1, after.epoch()));
    }

    // ---- publications without history -------------------------------------------------------------------

    @Test
    void publicationWithoutHistoryIsDeliveredWithOffsetZeroAndLeavesTheStreamAlone() {
        String ch = channel("no-history");
        broker.subscribe(ch);
        StreamPosition kept = broker.publish(ch, bytes("kept"), history(10)).position();

        PublishOutcome plain = broker.publish(ch, bytes("plain"), PublishOptions.noHistory());
        PublishOutcome zeroTtl = broker.publish(ch, bytes("zero-ttl"), PublishOptions.withHistory(10, Duration.ZERO));

        assertThat(plain.position()).isEqualTo(new StreamPosition(0, ""));
        assertThat(zeroTtl.position()).isEqualTo(new StreamPosition(0, ""));
        assertThat(broker.position(ch)).isEqualTo(kept);
        assertThat(texts(broker.history(ch, HistoryFilter.all()).publications())).containsExactly("kept");
        awaitPublications(ch, 3);
        List<RecordingHandler.Event> events = handler.events(ch);
        assertThat(events).extracting(e -> text(e.publication())).containsExactly("kept", "plain", "zero-ttl");
        assertThat(events).extracting(e -> e.publication().offset()).containsExactly(1L, 0L, 0L);
        assertThat(events).extracting(RecordingHandler.Event::epoch).containsExactly(kept.epoch(), "", "");
    }

    // ---- idempotency --------------------------------------------------------------------------------------

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstPositionAndDeliversOnce() {
        String ch = channel("idempotent");
        broker.subscribe(ch);
        PublishOutcome first = broker.publish(ch, bytes("first"), history(10).withIdempotencyKey("key-1"));
        PublishOutcome repeat = broker.publish(ch, bytes("repeat"), history(10).withIdempotencyKey("key-1"));
        PublishOutcome other = broker.publish(ch, bytes("other-key"), history(10).withIdempotencyKey("key-2"));

        assertThat(first.suppressed()).isFalse();
        assertThat(repeat.suppressed()).isTrue();
        assertThat(repeat.position()).isEqualTo(first.position());
        assertThat(other.suppressed()).isFalse();
        assertThat(other.position().offset()).isEqualTo(2);
        assertThat(texts(broker.history(ch, HistoryFilter.all()).publications()))
                .containsExactly("first", "other-key");
        awaitPublications(ch, 2);
        broker.publish(ch, bytes("marker"), history(10));
        awaitPublications(ch, 3);
        assertThat(texts(handler.publications(ch))).containsExactly("first", "other-key", "marker");
    }

    @Test
    void idempotencyKeysArePerChannelAndApplyWithoutHistory() {
        String a = channel("idempotent-a");
        String b = channel("idempotent-b");
        broker.subscribe(a);
        PublishOptions keyed = PublishOptions.noHistory().withIdempotencyKey("same");

        PublishOutcome first = broker.publish(a, bytes("first"), keyed);
        PublishOutcome repeat = broker.publish(a, bytes("repeat"), keyed);
        PublishOutcome otherChannel = broker.publish(b, bytes("elsewhere"), keyed);

        assertThat(first.suppressed()).isFalse();
        assertThat(repeat.suppressed()).isTrue();
        assertThat(repeat.position()).isEqualTo(first.position());
        assertThat(otherChannel.suppressed()).isFalse();
        broker.publish(a, bytes("marker"), PublishOptions.noHistory());
        awaitPublications(a, 2);
        assertThat(texts(handler.publications(a))).containsExactly("first", "marker");
    }

    // ---- delivery -----------------------------------------------------------------------------------------

    @Test
    void deliveredPublicationCarriesOffsetEpochInfoAndTags() {
        String ch = channel("delivered");
        broker.subscribe(ch);
        ClientInfo bob = new ClientInfo("bob", "conn-2", null, null);
        PublishOutcome outcome = broker.publish(ch, bytes("hello"),
                history(10).withInfo(bob).withTags(Map.of("t", "1")));

        awaitPublications(ch, 1);
        RecordingHandler.Event event = handler.events(ch).get(0);
        assertThat(event.epoch()).isEqualTo(outcome.position().epoch());
        assertThat(event.publication().offset()).isEqualTo(outcome.position().offset());
        assertThat(text(event.publication())).isEqualTo("hello");
        assertThat(event.publication().info().user()).isEqualTo("bob");
        assertThat(event.publication().info().client()).isEqualTo("conn-2");
        assertThat(event.publication().tags()).containsExactlyEntriesOf(Map.of("t", "1"));
    }

    @Test
    void publishersDeltaFlagIsDeliveredWithEachPublicationAndNotKeptInHistory() {
        String ch = channel("delta-flag");
        broker.subscribe(ch);
        broker.publish(ch, bytes("whole"), history(10));
        broker.publish(ch, bytes("delta"), history(10).withDelta(true));
        broker.publish(ch, bytes("delta-no-history"), PublishOptions.noHistory().withDelta(true));
        broker.publish(ch, bytes("whole-no-history"), PublishOptions.noHistory());

        awaitPublications(ch, 4);
        List<RecordingHandler.Event> events = handler.events(ch);
        assertThat(events).extracting(e -> text(e.publication()))
                .containsExactly("whole", "delta", "delta-no-history", "whole-no-history");
        assertThat(events).extracting(RecordingHandler.Event::delta).containsExactly(false, true, true, false);
        assertThat(events).extracting(e -> e.publication().delta()).containsOnly(false);
        assertThat(broker.history(ch, HistoryFilter.all()).publications()).extracting(Publication::delta)
                .containsExactly(false, false);
    }

    @Test
    void joinAndLeaveAreDeliveredInOrderWithPublications() {
        String ch = channel("join-leave");
        broker.subscribe(ch);
        ClientInfo carol = new ClientInfo("carol", "conn-3", bytes("{\"c\":1}"), bytes("{\"ch\":2}"));

        broker.publishJoin(ch, carol);
        broker.publish(ch, bytes("between"), history(10));
        broker.publishLeave(ch, carol);

        await().atMost(deliveryTimeout()).until(() -> handler.events(ch).size() >= 3);
        List<RecordingHandler.Event> events = handler.events(ch);
        assertThat(events).extracting(RecordingHandler.Event::kind).containsExactly(
                RecordingHandler.Kind.JOIN, RecordingHandler.Kind.PUBLICATION, RecordingHandler.Kind.LEAVE);
        for (RecordingHandler.Event event : List.of(events.get(0), events.get(2))) {
            assertThat(event.info().user()).isEqualTo("carol");
            assertThat(event.info().client()).isEqualTo("conn-3");
            assertThat(event.info().connInfo()).isEqualTo(bytes("{\"c\":1}"));
            assertThat(event.info().chanInfo()).isEqualTo(bytes("{\"ch\":2}"));
        }
    }

    @Test
    void unsubscribedChannelIsNotDeliveredButKeepsHistory() {
        String ch = channel("unsubscribed");
        ClientInfo dave = new ClientInfo("dave", "conn-4", null, null);
        broker.publish(ch, bytes("unseen"), history(10));
        broker.publishJoin(ch, dave);
        broker.publishLeave(ch, dave);

        broker.subscribe(ch);
        broker.publish(ch, bytes("seen"), history(10));

        awaitPublications(ch, 1);
        assertThat(handler.events(ch)).hasSize(1);
        assertThat(texts(handler.publications(ch))).containsExactly("seen");
        assertThat(offsets(handler.publications(ch))).containsExactly(2L);
        assertThat(texts(broker.history(ch, HistoryFilter.all()).publications())).containsExactly("unseen", "seen");
    }

    @Test
    void unsubscribeStopsDelivery() {
        String ch = channel("unsubscribe");
        broker.subscribe(ch);
        broker.publish(ch, bytes("one"), history(10));
        awaitPublications(ch, 1);

        broker.unsubscribe(ch);
        broker.publish(ch, bytes("two"), history(10));
        broker.publishJoin(ch, new ClientInfo("erin", "conn-5", null, null));
        broker.subscribe(ch);
        broker.publish(ch, bytes("three"), history(10));

        awaitPublications(ch, 2);
        assertThat(handler.events(ch)).hasSize(2);
        assertThat(texts(handler.publications(ch))).containsExactly("one", "three");
    }

    @Test
    void concurrentPublishersAreDeliveredExactlyOnceInOffsetOrder() throws Exception {
        int threads = 4;
        int perThread = 500;
        List<String> channels = List.of(channel("concurrent-a"), channel("concurrent-b"));
        channels.forEach(broker::subscribe);
        PublishOptions options = history(threads * perThread);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<PublishOutcome>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<PublishOutcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        outcomes.add(broker.publish(channels.get(i % 2), bytes(thread + ":" + i), options));
                    }
                    return outcomes;
                }));
            }
            start.countDown();
            for (Future<List<PublishOutcome>> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        int perChannel = threads * perThread / 2;
        for (int c = 0; c < channels.size(); c++) {
            String ch = channels.get(c);
            List<Long> returned = new ArrayList<>();
            for (Future<List<PublishOutcome>> f : futures) {
                List<PublishOutcome> outcomes = f.get();
                for (int i = c; i < outcomes.size(); i += 2) {
                    returned.add(outcomes.get(i).position().offset());
                }
            }
            returned.sort(Comparator.naturalOrder());
            assertThat(returned).isEqualTo(LongStream.rangeClosed(1, perChannel).boxed().toList());

            awaitPublications(ch, perChannel);
            List<RecordingHandler.Event> delivered = handler.events(ch);
            assertThat(delivered).hasSize(perChannel);
            assertThat(delivered).extracting(e -> e.publication().offset())
                    .isEqualTo(LongStream.rangeClosed(1, perChannel).boxed().toList());
            assertThat(delivered).extracting(RecordingHandler.Event::epoch).containsOnly(broker.position(ch).epoch());
            List<String> data = texts(handler.publications(ch));
            assertThat(new HashSet<>(data)).hasSize(perChannel);
            for (int t = 0; t < threads; t++) {
                String mark = t + ":";
                List<Integer> own = data.stream().filter(d -> d.startsWith(mark))
                        .map(d -> Integer.parseInt(d.substring(mark.length()))).toList();
                assertThat(own).as("thread %d's publications keep its order", t).isSorted().hasSize(perThread / 2);
            }
        }
        assertThat(handler.overlaps()).as("overlapping handler calls for one channel").isZero();
    }

    // ---- properties ---------------------------------------------------------------------------------------

    @Property(tries = 100)
    void historyHoldsTheNewestPublicationsWithContiguousOffsets(
            @ForAll @IntRange(min = 1, max = 20) int historySize,
            @ForAll @Size(max = 50) List<@AlphaChars @StringLength(max = 8) String> payloads) {
        try (Broker b = newBroker()) {
            String ch = uniquePrefix() + "property";
            for (String payload : payloads) {
                b.publish(ch, bytes(payload), history(historySize));
            }

            HistoryPage page = b.history(ch, HistoryFilter.all());

            int n = payloads.size();
            int kept = Math.min(n, historySize);
            assertThat(texts(page.publications())).isEqualTo(payloads.subList(n - kept, n));
            assertThat(offsets(page.publications()))
                    .isEqualTo(LongStream.rangeClosed(n - kept + 1, n).boxed().toList());
            assertThat(page.position().offset()).isEqualTo(n);
        }
    }

    @Property(tries = 100)
    void historyFilterSelectsLikeTheModel(
            @ForAll @IntRange(min = 1, max = 15) int historySize,
            @ForAll @IntRange(max = 25) int count,
            @ForAll @IntRange(min = -1, max = 26) int since,
            @ForAll @IntRange(min = -1, max = 20) int limit,
            @ForAll boolean reverse) {
        try (Broker b = newBroker()) {
            String ch = uniquePrefix() + "model";
            for (int i = 1; i <= count; i++) {
                b.publish(ch, bytes("m" + i), history(historySize));
            }
            StreamPosition sincePosition = since < 0 ? null : new StreamPosition(since, "whatever");

            HistoryPage page = b.history(ch, new HistoryFilter(sincePosition, limit, reverse, Duration.ZERO));

            List<Long> model = new ArrayList<>(LongStream.rangeClosed(Math.max(1, count - historySize + 1), count)
                    .boxed().toList());
            if (sincePosition != null) {
                model.removeIf(o -> reverse ? o >= since : o <= since);
            }
            if (reverse) {
                Collections.reverse(model);
            }
            List<Long> expected = limit < 0 ? model : model.subList(0, Math.min(limit, model.size()));
            assertThat(offsets(page.publications())).isEqualTo(expected);
            assertThat(page.position().offset()).isEqualTo(count);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Publishes {@code "m1"…"m<count>"} and returns the last position. */
    protected StreamPosition publishNumbered(String channel, int count, PublishOptions options) {
        StreamPosition last = null;
        for (int i = 1; i <= count; i++) {
            last = broker.publish(channel, bytes("m" + i), options).position();
        }
        return last;
    }

    protected List<Publication> page(String channel, StreamPosition since, int limit, boolean reverse) {
        return broker.history(channel, new HistoryFilter(since, limit, reverse, Duration.ZERO)).publications();
    }

    /** Waits until at least {@code count} publications of the channel were delivered. */
    protected void awaitPublications(String channel, int count) {
        await().atMost(deliveryTimeout()).until(() -> handler.publications(channel).size() >= count);
    }

    protected static PublishOptions history(int size) {
        return PublishOptions.withHistory(size, LONG_TTL);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(Publication publication) {
        return new String(publication.data(), UTF_8);
    }

    protected static List<String> texts(List<Publication> publications) {
        return publications.stream().map(BrokerContractTest::text).toList();
    }

    protected static List<Long> offsets(List<Publication> publications) {
        return publications.stream().map(Publication::offset).toList();
    }

    private static String uniquePrefix() {
        return "weft-test:" + UUID.randomUUID() + ":";
    }
}
