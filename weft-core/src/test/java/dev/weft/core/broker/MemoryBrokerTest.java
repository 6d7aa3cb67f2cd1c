package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The broker contract for {@link MemoryBroker}, plus what only an in-process broker can show: moving time. */
class MemoryBrokerTest extends BrokerContractTest {

    private final MutableClock clock = new MutableClock();
    /** A broker on {@link #clock}, for tests that move time. */
    private MemoryBroker memory;
    private RecordingHandler events;

    @Override
    protected Broker newBroker() {
        return new MemoryBroker();
    }

    @Override
    protected long storedChannels() {
        MemoryBroker b = (MemoryBroker) broker;
        return b.channelCount() + b.retiredCount();
    }

    @BeforeEach
    void openMemoryBroker() {
        memory = new MemoryBroker(clock);
        events = new RecordingHandler();
        memory.setEventHandler(events);
    }

    @AfterEach
    void closeMemoryBroker() {
        memory.close();
    }

    // ---- stream meta --------------------------------------------------------------------------------------

    @Test
    void streamMetaExpiresAfterMetaTtlWithoutPublicationsAndANewEpochStarts() {
        String ch = channel("meta");
        PublishOptions options = history(10).withMetaTtl(Duration.ofSeconds(10));
        memory.publish(ch, bytes("a"), options);
        clock.advance(Duration.ofSeconds(6));
        StreamPosition before = memory.publish(ch, bytes("b"), options).position();
        clock.advance(Duration.ofSeconds(9));
        assertThat(memory.position(ch)).as("the second publish refreshed the meta").isEqualTo(before);

        clock.advance(Duration.ofSeconds(2));

        HistoryPage page = memory.history(ch, HistoryFilter.all());
        assertThat(page.publications()).isEmpty();
        assertThat(page.position().offset()).isZero();
        assertThat(page.position().epoch()).isNotEmpty().isNotEqualTo(before.epoch());
        assertThat(memory.publish(ch, bytes("c"), options).position())
                .isEqualTo(new StreamPosition(1, page.position().epoch()));
    }

    @Test
    void historyReadWithMetaTtlKeepsTheStreamAliveAndOneWithoutDoesNot() {
        String ch = channel("meta-read");
        StreamPosition position = memory.publish(ch, bytes("a"), history(10).withMetaTtl(Duration.ofSeconds(10)))
                .position();
        HistoryFilter extending = new HistoryFilter(null, -1, false, Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(8));
        memory.history(ch, extending);
        clock.advance(Duration.ofSeconds(8));
        assertThat(memory.history(ch, HistoryFilter.all()).position()).isEqualTo(position);
        clock.advance(Duration.ofSeconds(3));

        assertThat(memory.position(ch).epoch()).isNotEqualTo(position.epoch());
    }

    @Test
    void historyReadNeverShortensTheMetaTtl() {
        String ch = channel("meta-short");
        StreamPosition position = memory.publish(ch, bytes("a"), history(10).withMetaTtl(Duration.ofMinutes(10)))
                .position();

        memory.history(ch, new HistoryFilter(null, 0, false, Duration.ofSeconds(1)));
        clock.advance(Duration.ofMinutes(5));

        assertThat(memory.position(ch)).isEqualTo(position);
    }

    @Test
    void streamWithoutMetaTtlKeepsItsPositionForever() {
        String ch = channel("meta-forever");
        StreamPosition position = memory.publish(ch, bytes("a"), PublishOptions.withHistory(10, Duration.ofSeconds(5)))
                .position();

        clock.advance(Duration.ofDays(400));
        memory.sweep();

        assertThat(memory.history(ch, HistoryFilter.all()).publications()).isEmpty();
        assertThat(memory.position(ch)).isEqualTo(position);
    }

    // ---- history TTL --------------------------------------------------------------------------------------

    @Test
    void eachHistoryEntryExpiresTtlAfterItsOwnPublish() {
        String ch = channel("ttl");
        PublishOptions tenSeconds = PublishOptions.withHistory(10, Duration.ofSeconds(10));
        memory.publish(ch, bytes("a"), tenSeconds);
        clock.advance(Duration.ofSeconds(6));
        StreamPosition last = memory.publish(ch, bytes("b"), tenSeconds).position();

        clock.advance(Duration.ofSeconds(4));
        assertThat(texts(memory.history(ch, HistoryFilter.all()).publications())).containsExactly("b");
        assertThat(texts(memory.history(ch, new HistoryFilter(null, -1, true, Duration.ZERO)).publications()))
                .containsExactly("b");

        clock.advance(Duration.ofSeconds(6));
        assertThat(memory.history(ch, HistoryFilter.all()).publications()).isEmpty();
        assertThat(memory.position(ch)).isEqualTo(last);
    }

    // ---- idempotency --------------------------------------------------------------------------------------

    @Test
    void idempotencyKeyExpiresAfterItsTtlAndThenAllowsARepublish() {
        String ch = channel("idempotent-ttl");
        memory.subscribe(ch);
        PublishOptions keyed = new PublishOptions(10, Duration.ofHours(1), Duration.ZERO, null, null, "k",
                Duration.ofMinutes(1));
        PublishOutcome first = memory.publish(ch, bytes("first"), keyed);

        clock.advance(Duration.ofSeconds(59));
        PublishOutcome suppressed = memory.publish(ch, bytes("again"), keyed);
        clock.advance(Duration.ofSeconds(2));
        PublishOutcome republished = memory.publish(ch, bytes("later"), keyed);

        assertThat(suppressed).isEqualTo(new PublishOutcome(first.position(), true));
        assertThat(republished.suppressed()).isFalse();
        assertThat(republished.position().offset()).isEqualTo(2);
        assertThat(texts(events.publications(ch))).containsExactly("first", "later");
    }

    @Test
    void idempotencyResultSurvivesRemoveHistory() {
        String ch = channel("idempotent-remove");
        PublishOutcome first = memory.publish(ch, bytes("first"), history(10).withIdempotencyKey("k"));

        memory.removeHistory(ch);

        assertThat(memory.publish(ch, bytes("again"), history(10).withIdempotencyKey("k")))
                .isEqualTo(new PublishOutcome(first.position(), true));
        assertThat(memory.history(ch, HistoryFilter.all()).publications()).isEmpty();
    }

    // ---- sweep --------------------------------------------------------------------------------------------

    @Test
    void sweepForgetsChannelsThatHaveNothingLeft() {
        PublishOptions expiring = new PublishOptions(10, Duration.ofSeconds(10), Duration.ofSeconds(20), null, null,
                "", Duration.ofSeconds(15));
        for (int i = 0; i < 50; i++) {
            String ch = channel("sweep-" + i);
            memory.subscribe(ch);
            memory.publish(ch, bytes("x"), expiring.withIdempotencyKey("k" + i));
            memory.publish(channel("plain-" + i), bytes("y"), PublishOptions.noHistory());
            memory.publishJoin(ch, new ClientInfo("u", "c", null, null));
        }
        String forever = channel("forever");
        StreamPosition kept = memory.publish(forever, bytes("z"), PublishOptions.withHistory(10, Duration.ofSeconds(1)))
                .position();

        memory.sweep();
        assertThat(memory.channelCount()).as("channels that only delivered are forgotten at once").isEqualTo(51);

        clock.advance(Duration.ofSeconds(16));
        memory.sweep();
        assertThat(memory.channelCount()).as("meta still alive").isEqualTo(51);

        clock.advance(Duration.ofSeconds(5));
        memory.sweep();
        assertThat(memory.channelCount()).as("only the stream without meta TTL is left").isEqualTo(1);
        assertThat(memory.position(forever)).isEqualTo(kept);
    }

    @Test
    void retiredChannelsAreCappedAndNoDroppedEpochComesBack() {
        MemoryBroker capped = new MemoryBroker(clock, 3);
        try {
            List<String> dropped = new ArrayList<>();
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String ch = channel("retired-" + i);
                channels.add(ch);
                dropped.add(capped.publish(ch, bytes("x"), history(10)).position().epoch());
                capped.removeHistory(ch);
                assertThat(capped.retiredCount()).isLessThanOrEqualTo(3);
            }
            capped.sweep();

            assertThat(capped.channelCount()).isZero();
            for (String ch : channels) {
                StreamPosition now = capped.position(ch);
                assertThat(dropped).doesNotContain(now.epoch());
                assertThat(capped.publish(ch, bytes("y"), history(10)).position())
                        .isEqualTo(new StreamPosition(1, now.epoch()));
            }
        } finally {
            capped.close();
        }
    }

    @Test
    void readsOfFreshChannelsLeaveTheHeapAsItWas() {
        int channels = 200_000;
        long before = usedHeapAfterGc();
        for (int i = 0; i < channels; i++) {
            String ch = channel("fresh-" + i);
            memory.subscribe(ch);
            memory.history(ch, HistoryFilter.POSITION_ONLY);
            memory.unsubscribe(ch);
        }
        long after = usedHeapAfterGc();

        System.out.printf("MemoryBroker: %d fresh channels read; channels kept %d, retired %d; "
                + "heap after GC %d KiB -> %d KiB%n", channels, memory.channelCount(), memory.retiredCount(),
                before / 1024, after / 1024);
        assertThat(memory.channelCount()).isZero();
        assertThat(memory.retiredCount()).isZero();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void sweepRunsPeriodicallyOnItsOwn() {
        for (int i = 0; i < 10; i++) {
            memory.publish(channel("auto-" + i), bytes("x"),
                    history(10).withMetaTtl(Duration.ofSeconds(30)).withIdempotencyKey("k"));
        }
        assertThat(memory.channelCount()).isEqualTo(10);

        clock.advance(Duration.ofMinutes(11));

        await().atMost(Duration.ofSeconds(10)).until(() -> memory.channelCount() == 0);
    }

    // ---- offsets ------------------------------------------------------------------------------------------

    @Test
    void offsetsAreUnsignedBeyondLongMaxValue() {
        String ch = channel("unsigned");
        memory.seedStream(ch, "seeded", Long.MAX_VALUE - 1);

        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offsets.add(memory.publish(ch, bytes("m" + i), history(10)).position().offset());
        }

        assertThat(offsets).containsExactly(Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1);
        assertThat(Long.toUnsignedString(memory.position(ch).offset())).isEqualTo("9223372036854775809");
        assertThat(memory.position(ch).epoch()).isEqualTo("seeded");
        assertThat(offsets(memory.history(ch, HistoryFilter.since(new StreamPosition(Long.MAX_VALUE, "seeded"), -1))
                .publications())).containsExactly(Long.MIN_VALUE, Long.MIN_VALUE + 1);
        assertThat(offsets(memory.history(ch,
                new HistoryFilter(new StreamPosition(Long.MIN_VALUE + 1, "seeded"), -1, true, Duration.ZERO))
                .publications())).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void exhaustedOffsetsStartANewEpochInsteadOfWrapping() {
        String ch = channel("exhausted");
        memory.seedStream(ch, "seeded", -1L);

        StreamPosition next = memory.publish(ch, bytes("m"), history(10)).position();

        assertThat(next.offset()).isEqualTo(1);
        assertThat(next.epoch()).isNotEqualTo("seeded");
    }

    // ---- delivery -----------------------------------------------------------------------------------------

    @Test
    void publicationIsInHistoryBeforeItIsDelivered() {
        String ch = channel("history-first");
        List<Long> seenTops = new ArrayList<>();
        memory.setEventHandler(onPublication((channel, publication) -> {
            HistoryPage page = memory.history(channel, HistoryFilter.all());
            seenTops.add(page.position().offset());
            assertThat(offsets(page.publications())).contains(publication.offset());
        }));
        memory.subscribe(ch);

        publishNumbered(memory, ch, 3);

        assertThat(seenTops).containsExactly(1L, 2L, 3L);
    }

    @Test
    void failingHandlerDoesNotFailThePublish() {
        String ch = channel("failing");
        memory.setEventHandler(onPublication((channel, publication) -> {
            throw new IllegalStateException("handler broke");
        }));
        memory.subscribe(ch);

        PublishOutcome outcome = memory.publish(ch, bytes("a"), history(10));

        assertThat(outcome.position().offset()).isEqualTo(1);
        assertThat(texts(memory.history(ch, HistoryFilter.all()).publications())).containsExactly("a");
    }

    @Test
    void deliveryHappensBeforePublishReturns() {
        String ch = channel("sync");
        memory.subscribe(ch);

        memory.publish(ch, bytes("a"), history(10));
        memory.publishJoin(ch, new ClientInfo("u", "c", null, null));

        assertThat(events.events(ch)).extracting(RecordingHandler.Event::kind)
                .containsExactly(RecordingHandler.Kind.PUBLICATION, RecordingHandler.Kind.JOIN);
    }

    /** A handler that passes publications to {@code action} and ignores joins and leaves. */
    private static BrokerEventHandler onPublication(BiConsumer<String, Publication> action) {
        return new BrokerEventHandler() {
            @Override
            public void handlePublication(String channel, Publication publication, String epoch, boolean delta) {
                action.accept(channel, publication);
            }

            @Override
            public void handleJoin(String channel, ClientInfo info) {
            }

            @Override
            public void handleLeave(String channel, ClientInfo info) {
            }
        };
    }

    private static void publishNumbered(Broker b, String ch, int count) {
        for (int i = 1; i <= count; i++) {
            b.publish(ch, bytes("m" + i), history(10));
        }
    }
}
