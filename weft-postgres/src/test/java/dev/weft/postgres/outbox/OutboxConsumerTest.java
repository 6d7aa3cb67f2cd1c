package dev.weft.postgres.outbox;

import dev.weft.store.postgres.PostgresTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer against the machine's Postgres, with a command side that records what it runs. */
class OutboxConsumerTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private OutboxDatabase db;

    @BeforeEach
    void setUp() throws SQLException {
        db = new OutboxDatabase(PostgresTestSupport.DSN, PostgresTestSupport.uniqueSchema());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        PostgresTestSupport.dropSchema(db.schema);
    }

    private OutboxConsumer start(OutboxConfig config, OutboxCommands commands) {
        OutboxConsumer consumer = new OutboxConsumer(config, commands);
        open.add(consumer);
        return consumer.start();
    }

    private void insert(int rows, int partitions) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO centrifugo_outbox (method, payload, partition) VALUES ('publish', ?::jsonb, ?)")) {
            for (int i = 0; i < rows; i++) {
                s.setString(1, "{\"channel\":\"p" + (i % partitions) + "\",\"data\":{\"n\":" + i + "}}");
                s.setInt(2, i % partitions);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Test
    void committedRowsRunInIdOrderPerPartitionWithTheirIdAsIdempotencyKeyThenAreDeleted() throws Exception {
        RecordingCommands commands = new RecordingCommands();
        start(db.config("orders").withPartitions(3).withSelectLimit(7).withPollInterval(Duration.ofMillis(50)),
                commands);
        insert(300, 3);

        await().atMost(Duration.ofSeconds(20)).until(() -> commands.calls.size() == 300);
        assertThat(db.count("SELECT count(*) FROM centrifugo_outbox")).isZero();
        for (int p = 0; p < 3; p++) {
            String channel = "\"channel\": \"p" + p + "\"";
            List<Integer> ns = commands.calls.stream().filter(c -> c.payload().contains(channel))
                    .map(c -> Integer.parseInt(c.payload().replaceAll(".*\"n\": (\\d+).*", "$1"))).toList();
            assertThat(ns).hasSize(100).isSorted();
        }
        assertThat(commands.calls).allSatisfy(c -> assertThat(c.idempotencyKey())
                .matches("outbox:centrifugo_outbox:\\d+"));
        assertThat(commands.calls.stream().map(RecordingCommands.Call::idempotencyKey).distinct()).hasSize(300);
    }

    @Test
    void aRolledBackInsertIsNeverRunAndACommittedOneIs() throws Exception {
        RecordingCommands commands = new RecordingCommands();
        start(db.config("tx").withPollInterval(Duration.ofMillis(20)), commands);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT weft_publish('orders:1', '{\"status\":\"cancelled\"}')");
            c.rollback();
            s.execute("SELECT weft_publish('orders:1', '{\"status\":\"paid\"}')");
            c.commit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !commands.calls.isEmpty());
        Thread.sleep(300); // several more polls: nothing else may come
        assertThat(commands.calls).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("publish");
            assertThat(call.payload()).isEqualTo("{\"data\": {\"status\": \"paid\"}, \"channel\": \"orders:1\"}");
        });
    }

    @Test
    void aNotificationWakesAnIdlePartitionLongBeforeItsPoll() throws Exception {
        RecordingCommands commands = new RecordingCommands();
        start(db.config("notified").withPartitions(2).withPollInterval(Duration.ofHours(1))
                .withNotificationChannel("centrifugo_partition_change"), commands);
        Thread.sleep(500); // the first passes (at start) found nothing; the next poll is an hour away
        db.exec("SELECT weft_publish('news', '{\"text\":\"hi\"}', 1)");
        await().atMost(Duration.ofSeconds(10)).until(() -> commands.calls.size() == 1);
    }

    @Test
    void rejectedRowsAreSetAsideInTheDeadLetterTableAndThePartitionGoesOn() throws Exception {
        RecordingCommands commands = new RecordingCommands().answering(call -> call.method().equals("publish")
                ? OutboxCommands.Outcome.DONE : OutboxCommands.Outcome.rejected("unknown method " + call.method()));
        start(db.config("dlq").withPollInterval(Duration.ofMillis(20)), commands);
        db.exec("INSERT INTO centrifugo_outbox (method, payload) VALUES ('publish', '{\"channel\":\"a\",\"data\":1}'),"
                + " ('frobnicate', '{\"x\":1}'), ('publish', '{\"channel\":\"a\",\"data\":2}')");

        await().atMost(Duration.ofSeconds(10)).until(() -> commands.calls.size() == 3);
        assertThat(db.count("SELECT count(*) FROM centrifugo_outbox")).isZero();
        assertThat(db.strings("SELECT method || ' ' || payload || ' ' || consumer || ' ' || error "
                + "FROM centrifugo_outbox_dead_letter"))
                .containsExactly("frobnicate {\"x\": 1} dlq unknown method frobnicate");
    }

    @Test
    void aRetriedCommandKeepsItsRowAndEveryRowAfterItInOrder() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        RecordingCommands commands = new RecordingCommands().answering(call ->
                call.payload().contains("\"n\": 5") && refusals.incrementAndGet() <= 3
                        ? OutboxCommands.Outcome.retry("broker down") : OutboxCommands.Outcome.DONE);
        OutboxConsumer consumer = start(db.config("retry").withPollInterval(Duration.ofMillis(20)), commands);
        insert(10, 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> commands.calls.size() == 10);
        assertThat(refusals.get()).isEqualTo(4);
        assertThat(commands.calls.stream().map(c -> c.payload().replaceAll(".*\"n\": (\\d+).*", "$1")))
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(consumer.unavailableReason()).isNull();
    }

    @Test
    void twoConsumersOnOneTableNeverRunARowTwice() throws Exception {
        assertNoRowTwice(false);
    }

    @Test
    void twoConsumersWithTryLocksNeverRunARowTwice() throws Exception {
        assertNoRowTwice(true);
    }

    private void assertNoRowTwice(boolean tryLock) throws Exception {
        RecordingCommands commands = new RecordingCommands();
        for (int node = 0; node < 2; node++) {
            // Same name: the same partition locks, as two nodes running one config.
            start(db.config("shared").withPartitions(2).withSelectLimit(5).withTryLock(tryLock)
                    .withPollInterval(Duration.ofMillis(10)), commands);
        }
        insert(400, 2);

        await().atMost(Duration.ofSeconds(30)).until(() -> commands.calls.size() >= 400);
        Thread.sleep(200);
        Set<String> keys = new HashSet<>();
        commands.calls.forEach(c -> assertThat(keys.add(c.idempotencyKey())).as(c.toString()).isTrue());
        assertThat(keys).hasSize(400);
    }
}
