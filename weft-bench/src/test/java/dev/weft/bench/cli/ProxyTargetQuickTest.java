package dev.weft.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.bench.report.ResultFile;
import dev.weft.bench.scenario.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code weft bench fanout --target weft-proxy --quick}: Weft started with its connect and publish proxies
 * pointing at the harness's backend process, which must answer every call for every connection (connect
 * proxy) to become ready and every publication (publish proxy) to arrive. Never timings. Needs node on PATH.
 */
class ProxyTargetQuickTest {

    @TempDir
    Path out;

    @Test
    void proxiedWeftConnectsAndDeliversEverythingThroughTheBackend() throws Exception {
        assertThat(BenchCommand.execute("fanout", "--target", "weft-proxy", "--quick", "--out", out.toString()))
                .isZero();

        List<Measurement> runs = ResultFile.read(out.resolve("results.json")).runs();
        assertThat(runs).isNotEmpty().allSatisfy(m -> {
            assertThat(m.target()).isEqualTo("weft-proxy");
            assertThat(m.delivered()).as("every publication arrived").isEqualTo(m.expected());
            assertThat(m.lost()).as("connections lost").isZero();
        });
        JsonNode config;
        try (Stream<Path> files = Files.list(out)) {
            config = new ObjectMapper().readTree(files.filter(f -> f.getFileName().toString()
                    .startsWith("weft-proxy-")).findFirst().orElseThrow().toFile());
        }
        assertThat(config.at("/client/proxy/connect/endpoint").asText()).endsWith("/connect");
        assertThat(config.at("/channel/without_namespace/publish_proxy_enabled").asBoolean()).isTrue();
    }
}
