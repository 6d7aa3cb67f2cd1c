package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.server.config.DocsConfig;
import dev.weft.server.config.HttpApiConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.server.ProtocolClient.connect;
import static dev.weft.server.ProtocolClient.publish;
import static dev.weft.server.ProtocolClient.push;
import static dev.weft.server.ProtocolClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} moves with real traffic (connect, subscribe, publish, a refused command, disconnects by
 * code, API calls), and the Grafana dashboard in {@code dist/} asks only for metrics the server exposes.
 */
class MetricsEndpointTest {
    private static final String KEY = "metrics-test-key";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final Path DASHBOARD = Path.of("..", "dist", "grafana", "weft-dashboard.json");

    @Test
    void countersMoveWithTrafficAndTheDashboardNamesExist() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (WeftServer server = TestServers.start(ClientOptions.builder(), c -> c
                .withHttpApi(new HttpApiConfig(KEY, false)).withDocs(DocsConfig.DEFAULT.withStore("memory")))) {
            try (TestWebSocket subscriber = TestWebSocket.connect(server.port());
                 TestWebSocket rude = TestWebSocket.connect(server.port())) {
                connect(subscriber);
                JsonNode subscribed = request(subscriber, 2,
                        "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recoverable\":true,\"recover\":true,\"offset\":0,\"epoch\":\"x\"}}");
                assertThat(subscribed.has("error")).as(subscribed.toString()).isFalse();
                JsonNode refused = request(subscriber, 3, "{\"id\":3,\"subscribe\":{\"channel\":\"nope:x\"}}");
                assertThat(refused.path("error").path("code").asInt()).isEqualTo(102);
                for (int i = 0; i < 3; i++) {
                    publish(http, server, KEY, "news", "{\"n\":" + i + "}");
                    push(subscriber, "news");
                }
                JsonNode apiRefused = ProtocolClient.api(http, server, KEY, "publish",
                        "{\"channel\":\"nope:x\",\"data\":{}}");
                assertThat(apiRefused.path("error").path("code").asInt()).isEqualTo(102);
                connect(rude);
                rude.send("not json at all");
                assertThat(rude.awaitClose().code()).isEqualTo(3501);
            }
            await().until(() -> server.openConnections() == 0);

            String text = scrape(server);
            assertThat(text).contains("# TYPE weft_client_connections_opened_total counter");
            assertThat(value(text, "weft_client_connections_opened_total", "transport=\"websocket\"")).isEqualTo(2);
            assertThat(value(text, "weft_client_disconnects_total", "code=\"3501\"")).isEqualTo(1);
            assertThat(value(text, "weft_client_disconnects_total", "code=\"3000\"")).isEqualTo(1);
            assertThat(value(text, "weft_client_connections", "transport=\"websocket\"")).isZero();
            assertThat(value(text, "weft_transport_messages_sent_total", "transport=\"websocket\""))
                    .as("replies and the three publications").isGreaterThanOrEqualTo(6);
            assertThat(value(text, "weft_transport_received_bytes_total", "transport=\"websocket\"")).isPositive();
            assertThat(value(text, "weft_client_command_errors_total", "code=\"102\"")).isEqualTo(1);
            assertThat(value(text, "weft_client_command_duration_seconds_count", "method=\"connect\"")).isEqualTo(2);
            assertThat(value(text, "weft_client_recoveries_total", "result=\"not_recovered\"")).isEqualTo(1);
            assertThat(value(text, "weft_api_command_duration_seconds_count", "method=\"publish\"")).isEqualTo(4);
            assertThat(value(text, "weft_api_command_errors_total", "method=\"publish\"")).isEqualTo(1);
            assertThat(value(text, "weft_broker_publish_duration_seconds_count", "")).isEqualTo(3);
            assertThat(value(text, "weft_broker_publish_errors_total", "")).isZero();
            assertThat(value(text, "weft_refusals_total", "reason=\"disconnect.bad_request\"")).isEqualTo(1);
            assertThat(value(text, "weft_node_clients", "")).isZero();
            assertThat(value(text, "jvm_memory_used_bytes", "")).isPositive();
            assertThat(server.metrics().throughput().messagesSent())
                    .isEqualTo((long) value(text, "weft_transport_messages_sent_total", ""));

            Set<String> exposed = new TreeSet<>();
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (!line.startsWith("#") && !line.isBlank()) {
                    assertThat(m.matches()).as("exposition line: " + line).isTrue();
                    exposed.add(m.group(1));
                }
            }
            Set<String> asked = dashboardMetrics();
            assertThat(asked).as("metrics the dashboard queries").isNotEmpty();
            assertThat(exposed).containsAll(asked);
        }
    }

    /** Metric names in the dashboard's PromQL expressions (words starting with weft_, jvm_, netty_ or process_). */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = TestServers.JSON.readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:weft|jvm|netty|process)_[a-zA-Z0-9_]+)");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = metric.matcher(expr.asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String scrape(WeftServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.internalPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labelPart}. */
    private static double value(String text, String name, String labelPart) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name) && (m.group(2) == null ? "" : m.group(2)).contains(labelPart)) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        assertThat(found).as(name + "{" + labelPart + "} in\n" + text).isTrue();
        return sum;
    }
}
