package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} as Prometheus reads it: the exposition parsed by a text-format parser nobody here wrote
 * (npm {@code parse-prometheus-text-format}, node/metrics.mjs), and its counters moved by real traffic from the
 * centrifuge-js SDK (a connection, a publication delivered, a server disconnect by code).
 */
class MetricsInteropTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void metricsParseAndMoveWithRealTraffic() throws Exception {
        NodeScript.ensureInstalled();
        try (InteropServer server = InteropServer.start()) {
            NodeScript.Result run = NodeScript.runScript("metrics.mjs", Map.of(
                    "WEFT_URL", server.websocketUrl(),
                    "WEFT_API_URL", server.apiUrl(),
                    "WEFT_API_KEY", InteropServer.API_KEY,
                    "WEFT_TOKEN", InteropServer.connectionToken("alice"),
                    "WEFT_METRICS_URL", server.baseUrl() + "/metrics",
                    "WEFT_TIMEOUT_MS", Long.toString(SCRIPT_TIMEOUT.minusSeconds(10).toMillis())),
                    SCRIPT_TIMEOUT);
            assertThat(run.exitCode()).as(run.transcript()).isZero();
            JsonNode deltas = run.events("deltas").getFirst();
            assertThat(deltas.path("opened").asInt()).isEqualTo(1);
            assertThat(deltas.path("disconnects4501").asInt()).isEqualTo(1);
            assertThat(run.events("done").getFirst().path("families").asInt()).isGreaterThan(20);
        }
    }
}
