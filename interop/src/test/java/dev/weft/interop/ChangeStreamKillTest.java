package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.store.postgres.PrivatePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change stream against a real crash: Weft runs as a child process reading a logical replication slot of a
 * Postgres of the test's own into a channel with durable history (the embedded SQLite engine); rows are
 * inserted while Weft is killed with SIGKILL and started again. Every committed row must be in the channel
 * exactly once, in commit order: nothing the slot had not confirmed is lost, and what Postgres sends again is
 * recognised by its idempotency key.
 */
class ChangeStreamKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "pg:items";
    private static final int ROWS = 1500;
    private static final int ROWS_PER_TRANSACTION = 3;
    private static final int PUBLISHED_BEFORE_KILL = 300;

    @TempDir
    Path work;
    private PrivatePostgres postgres;
    private WeftProcess weft;

    @AfterEach
    void stop() throws Exception {
        if (weft != null) {
            weft.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyCommittedRowIsPublishedExactlyOnceAcrossSigkill() throws Exception {
        postgres = new PrivatePostgres();
        sql("create table items (id int primary key, v text not null)");
        startWeft();
        await().atMost(Duration.ofSeconds(60)).until(this::slotActive);

        Future<?> inserts = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (int id = 1; id <= ROWS; id++) {
                    s.execute("insert into items values (" + id + ", 'row " + id + "')");
                    if (id % ROWS_PER_TRANSACTION == 0) {
                        c.commit();
                        Thread.sleep(2); // a steady stream, so the kill lands mid-way
                    }
                }
                c.commit();
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> top() >= PUBLISHED_BEFORE_KILL);
        long atKill = top();
        weft.kill();
        weft.start();
        inserts.get(120, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> top() >= ROWS);
        Thread.sleep(1500); // anything sent twice would land now
        List<JsonNode> history = history();
        List<Integer> ids = history.stream().map(p -> p.path("data").path("new").path("id").asInt()).toList();
        assertThat(ids).as("every row once, in commit order (%d were in the channel at the kill)", atKill)
                .isEqualTo(IntStream.rangeClosed(1, ROWS).boxed().toList());
        assertThat(history.getLast().path("offset").asLong()).isEqualTo(ROWS);
        // After the restart Postgres sends again what the slot had not confirmed; the keys keep it out.
        String metrics = metrics();
        long publishedAfterRestart = metrics.lines().filter(l -> l.startsWith("weft_postgres_changes_published_total{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(metrics).contains("weft_postgres_changes_lag_bytes{stream=\"kill\"}",
                "weft_postgres_changes_connected{stream=\"kill\"} 1.0");
        System.out.printf("rows: %d, in the channel just before SIGKILL: %d, publications made after the restart: "
                + "%d (%d sent again by Postgres and suppressed)%n", ROWS, atKill, publishedAfterRestart,
                publishedAfterRestart - (ROWS - atKill));
        assertThat(publishedAfterRestart).as("the restarted stream published at least the rows it had not seen")
                .isGreaterThanOrEqualTo(ROWS - atKill);
    }

    private void startWeft() throws Exception {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("http_api").put("key", InteropServer.API_KEY);
        config.putObject("channel").putArray("namespaces").addObject()
                .put("name", "pg")
                .put("history_size", 100_000)
                .put("history_ttl", "300s");
        ObjectNode stream = config.putArray("postgres_changes").addObject()
                .put("name", "kill")
                .put("dsn", postgres.dsn())
                .put("lag_check_interval", "1s");
        stream.putArray("tables").addObject().put("table", "public.items").put("channel", CHANNEL);
        config.put("data_dir", work.resolve("data").toString());
        Path file = work.resolve("weft.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        Path log = Path.of(System.getProperty("weft.interop.targetDir", "target"),
                "weft-changes-kill-" + System.nanoTime() + ".log");
        weft = WeftProcess.start(file, log);
    }

    /** The running process's {@code /metrics}. */
    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weft.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private boolean slotActive() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select active from pg_replication_slots where slot_name = 'weft_kill'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The channel's top offset, or -1 while Weft does not answer. */
    private long top() {
        try {
            return api("history", "{\"channel\":\"" + CHANNEL + "\",\"limit\":0}").path("result").path("offset")
                    .asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private List<JsonNode> history() throws IOException {
        JsonNode reply = api("history", "{\"channel\":\"" + CHANNEL + "\",\"limit\":100000}");
        List<JsonNode> out = new ArrayList<>();
        reply.path("result").path("publications").forEach(out::add);
        return out;
    }

    private JsonNode api(String method, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weft.port() + "/api/" + method))
                .header("X-API-Key", InteropServer.API_KEY).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
                "postgres", "");
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
