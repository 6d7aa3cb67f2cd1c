package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.store.postgres.PostgresDsn;
import dev.weft.store.postgres.PostgresTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox consumer against a real crash: Weft runs as a child process (durable SQLite engine) consuming an
 * outbox on the machine's Postgres; it is killed with SIGKILL while it works through the rows and started
 * again. Every committed row must then be in its channel's history — what every subscriber receives, live or
 * by recovery — exactly once and in partition order: rows published but not yet deleted when the process died
 * are run again and dropped by the broker as repeats of their idempotency key (the row id).
 */
class OutboxKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;
    private static final int ROWS = 2_000;

    @TempDir
    Path work;
    private WeftProcess weft;
    private final String schema = PostgresTestSupport.uniqueSchema();
    private final String dsn = PostgresTestSupport.DSN + "?currentSchema=" + schema;

    @AfterEach
    void tearDown() throws Exception {
        if (weft != null) {
            weft.close();
        }
        PostgresTestSupport.dropSchema(schema);
    }

    @Test
    void everyCommittedRowIsDeliveredExactlyOnceInPartitionOrderAcrossSigkill() throws Exception {
        PostgresTestSupport.execute("CREATE SCHEMA " + schema);
        sql(dev.weft.postgres.outbox.OutboxSchema.outboxSql());
        insertRows();
        startWeft();

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (remaining() > ROWS * 2 / 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        weft.kill();
        long left = remaining();
        assertThat(left).as("killed while rows were being consumed").isBetween(1L, (long) ROWS - 1);

        weft.start();
        while (remaining() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(remaining()).as("the restarted node consumed the rest").isZero();
        for (int p = 0; p < PARTITIONS; p++) {
            List<Integer> seqs = history("part-" + p);
            int partition = p;
            assertThat(seqs).as("partition %d: every row once, in order (%d left at the kill)", p, left)
                    .isEqualTo(IntStream.range(0, ROWS).filter(i -> i % PARTITIONS == partition).boxed().toList());
        }
        System.out.printf("outbox kill: %d of %d rows left in the outbox at SIGKILL; all delivered once%n", left, ROWS);
    }

    private void insertRows() throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO centrifugo_outbox (method, payload, partition) VALUES ('publish', ?::jsonb, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                int p = i % PARTITIONS;
                s.setString(1, "{\"channel\": \"part-" + p + "\", \"data\": {\"seq\": " + i + "}}");
                s.setInt(2, p);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private long remaining() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM centrifugo_outbox")) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<Integer> history(String channel) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + weft.port() + "/api/history"))
                .header("X-API-Key", InteropServer.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"limit\":-1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(response.body());
        assertThat(reply.path("error").isMissingNode()).as(response.body()).isTrue();
        List<Integer> seqs = new ArrayList<>();
        reply.path("result").path("publications").forEach(p -> seqs.add(p.path("data").path("seq").asInt()));
        return seqs;
    }

    private Connection connect() throws SQLException {
        PostgresDsn d = PostgresDsn.parse(dsn);
        return DriverManager.getConnection(d.jdbcUrl(), d.properties());
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private void startWeft() throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("http_api").put("key", InteropServer.API_KEY);
        config.putObject("channel").putObject("without_namespace")
                .put("history_size", 10_000)
                .put("history_ttl", "300s");
        ObjectNode consumer = config.putArray("consumers").addObject()
                .put("name", "kill").put("enabled", true).put("type", "postgresql");
        consumer.putObject("postgresql").put("dsn", dsn).put("outbox_table_name", "centrifugo_outbox")
                .put("num_partitions", PARTITIONS).put("partition_select_limit", 100)
                .put("partition_notification_channel", "centrifugo_partition_change");
        config.put("data_dir", work.resolve("data").toString()); // engine.type: the default, sqlite
        Path file = work.resolve("weft.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"), "weft-outbox-kill-" + System.nanoTime() + ".log");
        weft = WeftProcess.start(file, log);
    }
}
