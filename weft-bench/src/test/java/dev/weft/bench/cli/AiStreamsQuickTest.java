package dev.weft.bench.cli;

import dev.weft.bench.report.ResultFile;
import dev.weft.bench.scenario.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code weft bench ai-streams --quick} for real: Weft and resumable-stream (Node, with the private Redis the
 * harness starts) each serve a few token streams with one SSE reader each, and every token must reach its
 * reader once, in order, with the stream ending in {@code [DONE]}. Never timings. Needs node, npm and
 * redis-server on PATH.
 */
class AiStreamsQuickTest {

    @TempDir
    Path out;

    @Test
    void everyTokenReachesItsReaderOnceOnBothTargets() throws Exception {
        assertThat(BenchCommand.execute("ai-streams", "--quick", "--out", out.toString())).isZero();

        List<Measurement> runs = ResultFile.read(out.resolve("results.json")).runs();
        assertThat(runs).extracting(Measurement::target).containsExactly("weft", "resumable-stream");
        assertThat(runs).allSatisfy(m -> {
            assertThat(m.note() == null ? "" : m.note()).as("no failure").doesNotStartWith("failed");
            assertThat(m.expected()).isPositive();
            assertThat(m.delivered()).as("every token arrived").isEqualTo(m.expected());
            assertThat(m.skipped()).as("duplicated tokens").isZero();
            assertThat(m.lost()).as("readers without [DONE]").isZero();
            assertThat(m.p50Ms()).isNotNull();
            assertThat(m.cpuSecondsPerMillion()).isPositive();
        });
        assertThat(runs.get(1).brokerCpuSecondsPerMillion()).as("Redis CPU reported apart").isNotNull();
    }
}
