package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.postgres.outbox.OutboxConfig;
import dev.weft.postgres.outbox.OutboxSchema;
import dev.weft.store.postgres.PostgresDsn;
import dev.weft.store.postgres.PostgresTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.server.ProtocolClient.connect;
import static dev.weft.server.ProtocolClient.push;
import static dev.weft.server.ProtocolClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbox rows committed to the machine's Postgres reach a WebSocket subscriber of a real server, through the
 * server API registry, exactly when the transaction commits; rows that can never run are set aside.
 */
class OutboxDeliveryTest {
    private String schema;
    private String dsn;
    private WeftServer server;
    private TestWebSocket ws;

    @BeforeEach
    void setUp() throws SQLException {
        schema = PostgresTestSupport.uniqueSchema();
        dsn = PostgresTestSupport.DSN + "?currentSchema=" + schema;
        PostgresTestSupport.execute("CREATE SCHEMA " + schema);
        sql(outboxSqlFromTheCommandLine()); // what `weft outbox-sql | psql` runs
        OutboxConfig outbox = OutboxConfig.of("app", dsn, "centrifugo_outbox")
                .withNotificationChannel("centrifugo_partition_change").withPartitions(2);
        server = TestServers.start(ClientOptions.builder(), c -> c.withConsumers(List.of(outbox)));
        ws = TestWebSocket.connect(server.port());
    }

    @AfterEach
    void tearDown() throws SQLException {
        ws.close();
        server.close(Duration.ZERO);
        PostgresTestSupport.dropSchema(schema);
    }

    private static String outboxSqlFromTheCommandLine() {
        java.io.StringWriter out = new java.io.StringWriter();
        int exit = new picocli.CommandLine(new Main()).setOut(new java.io.PrintWriter(out)).execute("outbox-sql");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo(OutboxSchema.outboxSql()).contains("FUNCTION weft_publish");
        return out.toString();
    }

    private void sql(String... statements) throws SQLException {
        PostgresDsn d = PostgresDsn.parse(dsn);
        try (Connection c = DriverManager.getConnection(d.jdbcUrl(), d.properties()); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private List<String> rows(String query) throws SQLException {
        PostgresDsn d = PostgresDsn.parse(dsn);
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(d.jdbcUrl(), d.properties()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private void subscribe(String channel, int id) throws Exception {
        JsonNode reply = request(ws, id, "{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        assertThat(reply.has("error")).as(reply.toString()).isFalse();
    }

    @Test
    void aCommittedWeftPublishReachesTheSubscriberAndARolledBackOneNever() throws Exception {
        connect(ws);
        subscribe("order-1", 2);
        PostgresDsn d = PostgresDsn.parse(dsn);
        try (Connection c = DriverManager.getConnection(d.jdbcUrl(), d.properties()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT weft_publish('order-1', '{\"status\":\"cancelled\"}')");
            c.rollback();
            s.execute("SELECT weft_publish('order-1', '{\"status\":\"paid\"}')");
            c.commit();
        }
        JsonNode pub = push(ws, "order-1").path("pub");
        assertThat(pub.path("data").toString()).isEqualTo("{\"status\":\"paid\"}");
        // Nothing else came: the next push is the next commit's.
        sql("SELECT weft_publish('order-1', '{\"n\":2}')");
        assertThat(push(ws, "order-1").path("pub").path("data").toString()).isEqualTo("{\"n\":2}");
    }

    @Test
    void rowsWrittenAsCentrifugosDocsShowThemAreConsumedUnchanged() throws Exception {
        connect(ws);
        subscribe("updates", 2);
        subscribe("news", 3);
        sql("INSERT INTO centrifugo_outbox (method, payload, partition) "
                        + "VALUES ('publish', '{\"channel\": \"updates\", \"data\": {\"text\": \"Hello, world!\"}}', 0)",
                "INSERT INTO centrifugo_outbox (method, payload, partition) VALUES ('broadcast', "
                        + "'{\"channels\": [\"updates\", \"news\"], \"data\": {\"n\": 1}}', 1)");
        List<String> pushes = new ArrayList<>();
        while (pushes.size() < 3) {
            for (JsonNode node : TestServers.lines(ws.next())) {
                if (node.has("push")) {
                    pushes.add(node.path("push").path("channel").asText() + " "
                            + node.path("push").path("pub").path("data"));
                }
            }
        }
        assertThat(pushes).containsExactlyInAnyOrder("updates {\"text\":\"Hello, world!\"}", "updates {\"n\":1}",
                "news {\"n\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT count(*) FROM centrifugo_outbox")
                .equals(List.of("0")));
    }

    @Test
    void rowsThatCanNeverRunAreSetAsideWithTheirReasonAndTheRowsAfterThemGoOn() throws Exception {
        connect(ws);
        subscribe("after", 2);
        sql("INSERT INTO centrifugo_outbox (method, payload) VALUES "
                + "('publish', '{\"channel\": \"nonamespace:1\", \"data\": {}}'), "
                + "('frobnicate', '{}'), "
                + "('history', '{\"channel\": \"after\"}'), "
                + "('publish', '\"not an object\"'), "
                + "('publish', '{\"channel\": 5, \"data\": {}}'), "
                + "('publish', '{\"channel\": \"after\", \"data\": {\"ok\": true}}')");

        assertThat(push(ws, "after").path("pub").path("data").toString()).isEqualTo("{\"ok\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT count(*) FROM centrifugo_outbox_dead_letter")
                .equals(List.of("5")));
        assertThat(rows("SELECT method || ': ' || error FROM centrifugo_outbox_dead_letter ORDER BY id"))
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("publish: 102"),
                        r -> assertThat(r).startsWith("frobnicate: unknown method"),
                        r -> assertThat(r).startsWith("history: unknown method"),
                        r -> assertThat(r).startsWith("publish: publish: request is not a JSON object"),
                        r -> assertThat(r).startsWith("publish: publish: "));
        assertThat(rows("SELECT count(*) FROM centrifugo_outbox")).containsExactly("0");
        // The counters move right after the commit that made the rows above visible.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body())
                .contains("weft_outbox_rows_total{consumer=\"app\"} 6.0",
                        "weft_outbox_rows_rejected_total{consumer=\"app\"} 5.0", "weft_outbox_up{consumer=\"app\"} 1.0"));
    }

    @Test
    void aRowRunTwiceIsDeliveredOnceBecauseItsIdIsTheIdempotencyKey() throws Exception {
        connect(ws);
        subscribe("order-2", 2);
        // As after a crash between publish and delete: the same row id is run again.
        sql("INSERT INTO centrifugo_outbox (id, method, payload) VALUES "
                + "(1000001, 'publish', '{\"channel\": \"order-2\", \"data\": {\"v\": 1}}')");
        assertThat(push(ws, "order-2").path("pub").path("data").toString()).isEqualTo("{\"v\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT count(*) FROM centrifugo_outbox")
                .equals(List.of("0")));
        sql("INSERT INTO centrifugo_outbox (id, method, payload) VALUES "
                + "(1000001, 'publish', '{\"channel\": \"order-2\", \"data\": {\"v\": 1}}'), "
                + "(1000002, 'publish', '{\"channel\": \"order-2\", \"data\": {\"v\": 2}}')");
        assertThat(push(ws, "order-2").path("pub").path("data").toString()).isEqualTo("{\"v\":2}");
    }
}
