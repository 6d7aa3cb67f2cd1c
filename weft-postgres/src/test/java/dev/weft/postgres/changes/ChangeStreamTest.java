package dev.weft.postgres.changes;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.client.TestClient;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.store.postgres.PrivatePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Row changes in a Postgres of the test's own (wal_level=logical) reaching a subscriber of the engine. */
class ChangeStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static PrivatePostgres postgres;

    private final Node node = new Node(NodeConfig.DEFAULT
            .withClient(ClientOptions.builder().insecure(true).build())
            .withChannels(NodeConfig.DEFAULT.channels().withNamespaces(ChannelOptions.DEFAULT,
                    List.of(new Namespace("orders", ChannelOptions.DEFAULT)))),
            new MemoryBroker(), new MemoryPresenceManager());
    private final List<ChangeStream> streams = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = new PrivatePostgres();
        sql("create table orders (id int primary key, status text not null, total numeric(10,2), note text)",
                "alter table orders replica identity full",
                "create table items (id int primary key, name text)");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopStreams() throws InterruptedException {
        for (ChangeStream stream : streams) {
            stream.close();
        }
        node.close();
    }

    @Test
    void insertUpdateDeleteReachTheSubscriberWithOldValuesUnderReplicaIdentityFull() throws Exception {
        stream(new TableRule("public.orders", ChannelTemplate.parse("orders:{id}"), List.of(), Set.of()));
        TestClient client = subscriber("orders:1");

        sql("insert into orders values (1, 'new', 12.50, 'say \"hi\"\n')",
                "update orders set status = 'paid' where id = 1",
                "delete from orders where id = 1");

        List<JsonNode> changes = payloads(client.awaitPublications("orders:1", 3));
        assertThat(changes).extracting(c -> c.get("op").asText()).containsExactly("insert", "update", "delete");
        assertThat(changes.get(0).get("table").asText()).isEqualTo("public.orders");
        assertThat(changes.get(0).get("new").toString())
                .isEqualTo("{\"id\":\"1\",\"status\":\"new\",\"total\":\"12.50\",\"note\":\"say \\\"hi\\\"\\n\"}");
        assertThat(changes.get(0).has("old")).isFalse();
        assertThat(changes.get(1).get("old").get("status").asText()).isEqualTo("new");
        assertThat(changes.get(1).get("new").get("status").asText()).isEqualTo("paid");
        assertThat(changes.get(2).has("new")).isFalse();
        assertThat(changes.get(2).get("old").get("status").asText()).isEqualTo("paid");
        assertThat(changes).allSatisfy(c -> assertThat(c.get("lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+"));
    }

    @Test
    void aRolledBackTransactionIsNeverPublished() throws Exception {
        stream(new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of()));
        TestClient client = subscriber("items");

        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("insert into items values (100, 'rolled back')");
            }
            c.rollback();
        }
        sql("insert into items values (101, 'committed')");

        List<JsonNode> changes = payloads(client.awaitPublications("items", 1));
        Thread.sleep(300);
        assertThat(payloads(client.pushes("items", Publication.class)))
                .extracting(c -> c.get("new").get("name").asText()).containsExactly("committed");
        assertThat(changes.getFirst().get("new").get("id").asText()).isEqualTo("101");
    }

    @Test
    void aTransactionsChangesArePublishedTogetherInOrderWithItsCommitLsn() throws Exception {
        stream(new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of()));
        TestClient client = subscriber("items");

        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 5; i++) {
                    s.execute("insert into items values (" + (200 + i) + ", 'row " + i + "')");
                }
            }
            c.commit();
        }
        sql("insert into items values (300, 'next transaction')");

        List<JsonNode> changes = payloads(client.awaitPublications("items", 6));
        assertThat(changes).extracting(c -> c.get("new").get("id").asText())
                .containsExactly("200", "201", "202", "203", "204", "300");
        assertThat(changes.subList(0, 5)).extracting(c -> c.get("lsn").asText()).containsOnly(
                changes.getFirst().get("lsn").asText());
        assertThat(changes.subList(0, 5)).extracting(c -> c.get("xid").asLong()).containsOnly(
                changes.getFirst().get("xid").asLong());
        assertThat(changes.get(5).get("lsn").asText()).isNotEqualTo(changes.getFirst().get("lsn").asText());
    }

    @Test
    void columnFiltersAndEventsLimitWhatIsPublished() throws Exception {
        stream(new TableRule("orders", ChannelTemplate.parse("orders:filtered"), List.of("id", "status"),
                EnumSet.of(ChangeEvent.INSERT)));
        TestClient client = subscriber("orders:filtered");

        sql("insert into orders values (10, 'new', 1.00, 'secret')",
                "update orders set status = 'paid' where id = 10",
                "insert into orders values (11, 'new', 2.00, 'secret')");

        List<JsonNode> changes = payloads(client.awaitPublications("orders:filtered", 2));
        Thread.sleep(300);
        assertThat(client.pushes("orders:filtered", Publication.class)).hasSize(2);
        assertThat(changes).extracting(c -> c.get("new").toString())
                .containsExactly("{\"id\":\"10\",\"status\":\"new\"}", "{\"id\":\"11\",\"status\":\"new\"}");
    }

    @Test
    void aChannelTheEngineRefusesIsSkippedAndLaterChangesFlow() throws Exception {
        ChangeStream stream = stream(
                new TableRule("items", ChannelTemplate.parse("unknown_namespace:{id}"), List.of(), Set.of()),
                new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of()));
        TestClient client = subscriber("items");

        sql("insert into items values (400, 'a')", "insert into items values (401, 'b')");

        assertThat(payloads(client.awaitPublications("items", 2))).extracting(c -> c.get("new").get("id").asText())
                .containsExactly("400", "401");
        assertThat(stream.skipped()).isEqualTo(2);
    }

    @Test
    void aStoppedStreamResumesFromItsSlotWithNothingLostOrRepeated() throws Exception {
        TableRule rule = new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of());
        ChangeStreamConfig config = config(rule);
        ChangeStream first = started(config);
        TestClient client = subscriber("items");
        sql("insert into items values (500, 'before')");
        client.awaitPublications("items", 1);
        first.close();

        sql("insert into items values (501, 'while stopped')", "insert into items values (502, 'while stopped')");
        ChangeStream second = started(config);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.lagBytes() >= 0);
        sql("insert into items values (503, 'after')");

        assertThat(payloads(client.awaitPublications("items", 4))).extracting(c -> c.get("new").get("id").asText())
                .containsExactly("500", "501", "502", "503");
        Thread.sleep(300);
        assertThat(client.pushes("items", Publication.class)).hasSize(4);
    }

    @Test
    void thePostgresRestartingIsSurvivedWithoutHelp() throws Exception {
        ChangeStream stream = stream(new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of()));
        TestClient client = subscriber("items");
        sql("insert into items values (600, 'before')");
        client.awaitPublications("items", 1);

        postgres.kill();
        postgres.start();
        sql("insert into items values (601, 'after a crash')");
        postgres.stop();
        postgres.start();
        sql("insert into items values (602, 'after a restart')");

        assertThat(payloads(client.awaitPublications("items", 3))).extracting(c -> c.get("new").get("id").asText())
                .containsExactly("600", "601", "602");
        assertThat(stream.streaming()).isTrue();
    }

    @Test
    void theSlotsLagIsMeasuredAndAWarningLoggedWhileItIsTooLarge() throws Exception {
        TableRule rule = new TableRule("items", ChannelTemplate.parse("items"), List.of(), Set.of());
        ChangeStreamConfig config = config(rule);
        ChangeStream first = started(config);
        first.close();
        sql("insert into items select g, repeat('x', 1000) from generate_series(1000, 1999) g");

        Logger logger = (Logger) LoggerFactory.getLogger(ChangeStream.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ChangeStream second = started(new ChangeStreamConfig(config.name(), config.dsn(), null, null,
                    config.tables(), 100_000, Duration.ofMillis(200), List.of()));
            // The first reading is taken before the stream reads anything: the rows above are still held back.
            await().atMost(Duration.ofSeconds(10)).until(() -> second.lagBytes() >= 0);
            assertThat(second.lagBytes()).isGreaterThan(100_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> second.published() == 1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.lagBytes() < 100_000);
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("holds back").contains("more than 100000"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logged.list)
                    .extracting(ILoggingEvent::getFormattedMessage).anySatisfy(m -> assertThat(m).contains("lag back")));
        } finally {
            logger.detachAppender(logged);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private ChangeStreamConfig config(TableRule... rules) {
        return new ChangeStreamConfig("t" + STREAMS.incrementAndGet(), postgres.dsn(), null, null, List.of(rules),
                1, Duration.ofMillis(200), List.of());
    }

    private ChangeStream stream(TableRule... rules) {
        return started(config(rules));
    }

    private ChangeStream started(ChangeStreamConfig config) {
        ChangeStream stream = new ChangeStream(config, node);
        streams.add(stream);
        stream.start();
        await().atMost(Duration.ofSeconds(20)).until(stream::streaming);
        return stream;
    }

    private TestClient subscriber(String channel) {
        TestClient client = new TestClient(node);
        client.call(new ConnectRequest("", null, Map.of(), "test", "", Map.of()));
        client.call(new SubscribeRequest(channel, "", false, "", 0, null, false, false, false));
        return client;
    }

    private static List<JsonNode> payloads(List<Publication> publications) {
        return publications.stream().map(p -> {
            try {
                return JSON.readTree(new String(p.data(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(p.data(), StandardCharsets.UTF_8), e);
            }
        }).toList();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                "postgres", "");
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
