package dev.weft.bench.cli;

import dev.weft.bench.report.ResultFile;
import dev.weft.bench.scenario.Measurement;
import dev.weft.bench.scenario.Scenario;
import dev.weft.bench.target.Target;
import dev.weft.bench.target.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code weft bench all --quick} for real — Weft, Socket.IO on Node, nats-server and the ceiling, each
 * started by the harness — so the harness keeps working. Asserts that every target delivered every message
 * and that the result file and charts are well-formed; never timings. Needs node, npm and nats-server
 * installed: a missing one fails here with the harness's message saying what to install.
 */
class QuickBenchTest {

    @TempDir
    Path out;

    @Test
    void everyScenarioAgainstEveryTargetDeliversEverythingAndWritesResults() throws Exception {
        int exit = BenchCommand.execute("all", "--quick", "--out", out.toString());
        assertThat(exit).isZero();

        ResultFile result = ResultFile.read(out.resolve("results.json"));
        List<String> targets = Targets.all().stream().map(Target::name).toList();
        List<String> scenarios = Scenario.all().stream().map(Scenario::name).toList();
        assertThat(result.targets()).containsExactlyElementsOf(targets);
        assertThat(result.scenarios()).containsExactlyElementsOf(scenarios);
        assertThat(result.machineAtStart().cores()).isPositive();

        assertThat(result.runs()).allSatisfy(m -> assertThat(Objects.requireNonNullElse(m.note(), ""))
                .as("%s against %s", m.scenario(), m.target()).doesNotStartWith("failed:"));
        for (String scenario : scenarios) {
            for (String target : targets) {
                List<Measurement> rows = result.runs().stream()
                        .filter(m -> m.scenario().equals(scenario) && m.target().equals(target)).toList();
                assertThat(rows).as("%s against %s", scenario, target).isNotEmpty();
                for (Measurement m : rows) {
                    assertThat(m.expected()).as("%s against %s", scenario, target).isPositive();
                    assertThat(m.delivered()).as("every message (or connection) of %s against %s arrived",
                            scenario, target).isEqualTo(m.expected());
                    assertThat(m.lost()).as("connections %s lost in %s", target, scenario).isZero();
                }
            }
        }
        assertThat(result.runs()).filteredOn(m -> m.scenario().equals("idle"))
                .allSatisfy(m -> assertThat(m.rssBytes()).isPositive());
        assertThat(result.runs()).filteredOn(m -> m.scenario().equals("fanout"))
                .allSatisfy(m -> {
                    assertThat(m.p99Ms()).isNotNull();
                    assertThat(m.serverCpuSeconds()).isNotNull();
                });
        assertThat(result.medians()).isNotEmpty();

        assertThat(result.charts()).contains("fanout-latency-n50.png", "idle-rss.png", "connect-storm.png");
        for (String chart : result.charts()) {
            BufferedImage image = ImageIO.read(out.resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).isPositive();
        }
        assertThat(Files.list(out.resolve("logs")).count()).isPositive();
    }
}
