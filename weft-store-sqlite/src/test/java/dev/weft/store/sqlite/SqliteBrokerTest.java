package dev.weft.store.sqlite;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.BrokerContractTest;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.MutableClock;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.junit.jupiter.api.Test;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The broker contract on a real SQLite file, plus what only a file can show: everything is back after reopening. */
class SqliteBrokerTest extends BrokerContractTest {

    /**
     * Created here rather than by {@code @TempDir}: the contract's jqwik properties open brokers too, and jqwik
     * does not inject JUnit's temporary directories.
     */
    private final Path root = temporaryRoot();
    private final AtomicInteger opened = new AtomicInteger();
    private final MutableClock clock = new MutableClock();

    /** Each broker gets its own data directory; {@link #reopen} opens the same one again. */
    @Override
    protected Broker newBroker() {
        return SqliteBroker.open(root.resolve("data-" + opened.incrementAndGet()));
    }

    @Override
    protected long storedChannels() {
        return ((SqliteBroker) broker).storedChannelCount();
    }

    private Path dataDirectory() {
        return root.resolve("data-1");
    }

    /** Closes {@link #broker} and opens its file again, as a restarted node does. */
    private void reopen() {
        broker.close();
        broker = SqliteBroker.open(dataDirectory());
        broker.setEventHandler(handler);
    }

    @Test
    void theEventHandlerMayPublishWithoutStoringButCallsThatWaitForACommitFailAtOnce() throws Exception {
        String ch = channel("reentrant");
        String echo = channel("echo");
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        broker.subscribe(ch);
        broker.subscribe(echo);
        broker.setEventHandler(new BrokerEventHandler() {
            @Override
            public void handlePublication(String channel, Publication publication, String epoch, boolean delta) {
                if (channel.equals(echo)) {
                    echoed.complete(text(publication));
                    return;
                }
                broker.publish(echo, bytes("echo"), PublishOptions.noHistory());
                try {
                    broker.publish(ch, bytes("stored"), history(10));
                    refused.complete(null);
                } catch (IllegalStateException e) {
                    refused.complete(e);
                }
            }

            @Override
            public void handleJoin(String channel, ClientInfo info) {
            }

            @Override
            public void handleLeave(String channel, ClientInfo info) {
            }
        });

        broker.publish(ch, bytes("first"), history(10));

        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("echo");
        assertThat(refused.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("called from the broker event handler");
        assertThat(broker.history(ch, HistoryFilter.all()).publications()).hasSize(1);
    }

    @Test
    void historyEpochAndOffsetsAreBackAfterReopening() {
        String ch = channel("restart");
        ClientInfo alice = new ClientInfo("alice", "conn-1", bytes("{\"c\":1}"), null);
        StreamPosition last = null;
        for (int i = 1; i <= 50; i++) {
            last = broker.publish(ch, bytes("m" + i), history(20).withInfo(alice).withTags(Map.of("n", "" + i)))
                    .position();
        }

        reopen();

        HistoryPage page = broker.history(ch, HistoryFilter.all());
        assertThat(page.position()).isEqualTo(last);
        assertThat(offsets(page.publications())).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(31, 50).boxed().toList());
        ClientInfo info = page.publications().get(0).info();
        assertThat(info.user()).isEqualTo("alice");
        assertThat(info.client()).isEqualTo("conn-1");
        assertThat(info.connInfo()).isEqualTo(bytes("{\"c\":1}"));
        assertThat(info.chanInfo()).isNull();
        assertThat(page.publications().get(0).tags()).containsExactlyEntriesOf(Map.of("n", "31"));
        assertThat(broker.publish(ch, bytes("after"), history(20)).position())
                .isEqualTo(new StreamPosition(51, last.epoch()));
    }

    @Test
    void aClientPositionedBeforeTheRestartRecoversWhatWasPublishedAroundIt() {
        String ch = channel("recover");
        StreamPosition told = broker.position(ch);
        publishNumbered(ch, 3, history(100));

        reopen();
        publishNumbered(ch, 2, history(100));

        HistoryPage missed = broker.history(ch, HistoryFilter.since(told, 100));
        assertThat(missed.position()).isEqualTo(new StreamPosition(5, told.epoch()));
        assertThat(texts(missed.publications())).containsExactly("m1", "m2", "m3", "m1", "m2");
    }

    @Test
    void emptyChannelsKeepTheirEpochAndDroppedEpochsStayRetiredAcrossReopening() {
        String fresh = channel("fresh");
        String dropped = channel("dropped");
        StreamPosition freshBefore = broker.position(fresh);
        String firstEpoch = broker.publish(dropped, bytes("m"), history(10)).position().epoch();
        broker.removeHistory(dropped);
        String nextEpoch = broker.position(dropped).epoch();

        reopen();

        assertThat(broker.position(fresh)).isEqualTo(freshBefore);
        assertThat(broker.position(dropped)).isEqualTo(new StreamPosition(0, nextEpoch));
        assertThat(nextEpoch).isNotEqualTo(firstEpoch);
        assertThat(broker.publish(dropped, bytes("again"), history(10)).position())
                .isEqualTo(new StreamPosition(1, nextEpoch));
    }

    @Test
    void idempotencyKeysSurviveReopening() {
        String ch = channel("idempotent");
        PublishOutcome first = broker.publish(ch, bytes("first"), history(10).withIdempotencyKey("k"));
        PublishOutcome plain = broker.publish(ch, bytes("plain"), PublishOptions.noHistory().withIdempotencyKey("p"));

        reopen();

        assertThat(broker.publish(ch, bytes("again"), history(10).withIdempotencyKey("k")))
                .isEqualTo(new PublishOutcome(first.position(), true));
        assertThat(broker.publish(ch, bytes("again"), PublishOptions.noHistory().withIdempotencyKey("p")))
                .isEqualTo(new PublishOutcome(plain.position(), true));
        assertThat(texts(broker.history(ch, HistoryFilter.all()).publications())).containsExactly("first");
    }

    @Test
    void streamMetaExpiresAndTheSweepDropsItWithItsHistory() throws Exception {
        try (SqliteBroker timed = SqliteBroker.open(root.resolve("timed"), clock, SqliteBroker.RETIRED_LIMIT,
                Duration.ofHours(1))) {
            String ch = channel("meta");
            StreamPosition before = timed.publish(ch, bytes("a"),
                    history(10).withMetaTtl(Duration.ofSeconds(10))).position();
            clock.advance(Duration.ofSeconds(11));

            timed.sweep();

            assertThat(rows(root.resolve("timed"), "SELECT count(*) FROM publications")).isZero();
            assertThat(rows(root.resolve("timed"), "SELECT count(*) FROM streams")).isZero();
            StreamPosition after = timed.position(ch);
            assertThat(after.offset()).isZero();
            assertThat(after.epoch()).isNotEqualTo(before.epoch());
            assertThat(timed.publish(ch, bytes("b"), history(10)).position()).isEqualTo(new StreamPosition(1, after.epoch()));
        }
    }

    @Test
    void expiredHistoryAndKeysAreDeletedInBoundedPasses() throws Exception {
        Path dir = root.resolve("sweep");
        try (SqliteBroker timed = SqliteBroker.open(dir, clock, SqliteBroker.RETIRED_LIMIT, Duration.ofHours(1))) {
            String ch = channel("expiring");
            PublishOptions shortLived = PublishOptions.withHistory(5000, Duration.ofSeconds(5))
                    .withIdempotencyKey("");
            int count = SqliteBroker.SWEEP_BATCH + 500;
            for (int i = 0; i < count; i++) {
                timed.publish(ch, bytes("m" + i), i % 2 == 0 ? shortLived : shortLived.withIdempotencyKey("k" + i));
            }
            clock.advance(Duration.ofMinutes(10));

            timed.sweep();
            assertThat(rows(dir, "SELECT count(*) FROM publications")).isEqualTo(500);
            timed.sweep();

            assertThat(rows(dir, "SELECT count(*) FROM publications")).isZero();
            assertThat(rows(dir, "SELECT count(*) FROM idempotency")).isZero();
            assertThat(timed.position(ch).offset()).as("history expiry keeps the position").isEqualTo(count);
        }
    }

    @Test
    void replacingTheSeedGivesEveryEmptyChannelANewEpochAndEmptiesRetired() throws Exception {
        Path dir = root.resolve("reseed");
        StreamPosition after;
        try (SqliteBroker small = SqliteBroker.open(dir, clock, 3, Duration.ofHours(1))) {
            String witness = channel("witness");
            StreamPosition before = small.position(witness);
            for (int i = 0; i < 4; i++) {
                String ch = channel("retire-" + i);
                small.publish(ch, bytes("m"), history(10));
                small.removeHistory(ch);
            }
            after = small.position(witness);
            assertThat(after.epoch()).isNotEqualTo(before.epoch());
        }
        try (SqliteBroker reopened = SqliteBroker.open(dir)) {
            assertThat(rows(dir, "SELECT count(*) FROM retired")).as("emptied by the reseed").isZero();
            assertThat(reopened.position(channel("witness"))).as("the new seed is the one kept").isEqualTo(after);
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithTheReason() throws Exception {
        Path dir = root.resolve("garbage");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SqliteBroker.FILE_NAME), "this is not a database, just some words ".repeat(100));

        assertThatThrownBy(() -> SqliteBroker.open(dir))
                .isInstanceOf(SqliteBrokerException.class)
                .hasMessageContaining(SqliteBroker.FILE_NAME)
                .hasMessageContaining("not a SQLite database");
    }

    @AfterEach
    void deleteRoot() throws IOException {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        deleteFiles();
    }

    /** The contract's properties run outside JUnit's lifecycle. */
    @AfterProperty
    void deleteFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path temporaryRoot() {
        try {
            return Files.createTempDirectory("weft-sqlite-broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefused() {
        broker.publish(channel("held"), bytes("m"), history(10));

        assertThatThrownBy(() -> SqliteBroker.open(dataDirectory()))
                .isInstanceOf(SqliteBrokerException.class)
                .hasMessageContaining("another Weft node uses this data directory");
        assertThat(broker.position(channel("held")).offset()).as("the first one is unharmed").isEqualTo(1);
    }

    private static long rows(Path dir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteBroker.FILE_NAME));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
