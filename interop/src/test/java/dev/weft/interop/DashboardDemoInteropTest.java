package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.config.WebConfig;
import dev.weft.store.postgres.PrivatePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live dashboard demo in headless Chromium against a Postgres of the test's own: Weft started with
 * {@code demo.enabled} and {@code demo.postgres_dsn} creates the demo tables and streams their changes; rows
 * the test inserts, updates and deletes must move the page's chart and table ({@code node/web/dashboard.mjs}).
 */
class DashboardDemoInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of(System.getProperty("weft.interop.chromium", "/usr/bin/chromium"));

    private PrivatePostgres postgres;
    private InteropServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void rowsWrittenInPostgresMoveTheChartAndTheOrdersTable() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing", CHROMIUM).isTrue();
        postgres = new PrivatePostgres();
        server = InteropServer.start(InteropServer.config().withWeb(
                new WebConfig(false, "", "", true, postgres.dsn())));
        List<String> writeErrors = new CopyOnWriteArrayList<>();

        NodeScript.Result run = NodeScript.runScript("web/dashboard.mjs", Map.of(
                "WEFT_BASE_URL", server.baseUrl(),
                "WEFT_SCREENSHOT_DIR", Path.of(System.getProperty("weft.interop.targetDir", "target"))
                        .toAbsolutePath().resolve("web-screenshots").toString(),
                "WEFT_CHROMIUM", CHROMIUM.toString(),
                "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())), SCRIPT_TIMEOUT,
                event -> {
                    if (event.path("event").asText().equals("ready")) {
                        Thread.ofVirtual().start(() -> write(writeErrors));
                    }
                });

        assertThat(writeErrors).isEmpty();
        assertThat(run.exitCode()).as("%s", run.transcript()).isZero();
        JsonNode dashboard = run.requireEvent("dashboard");
        List<Double> values = new ArrayList<>();
        dashboard.path("values").forEach(v -> values.add(v.asDouble()));
        assertThat(values).isEqualTo(IntStream.rangeClosed(1, 20).mapToObj(i -> i * 1.5).toList());
        assertThat(dashboard.path("orders").toString()).isEqualTo("[\"1|ann|new|10.00\",\"2|bob|shipped|20.00\"]");
        assertThat(dashboard.path("laterOrders")).isEqualTo(dashboard.path("orders"));
    }

    /** What an application would do: metric samples one by one, orders inserted, changed and removed. */
    private void write(List<String> errors) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port()
                + "/postgres", "postgres", ""); Statement s = c.createStatement()) {
            for (int i = 1; i <= 20; i++) {
                s.execute("insert into weft_demo_metrics (value) values (" + (i * 1.5) + ")");
                Thread.sleep(20);
            }
            s.execute("insert into weft_demo_orders (customer, total) values ('ann', 10), ('bob', 20), ('cid', 30)");
            s.execute("update weft_demo_orders set status = 'shipped' where customer = 'bob'");
            s.execute("delete from weft_demo_orders where customer = 'cid'");
        } catch (Exception e) {
            errors.add(e.toString());
        }
    }
}
