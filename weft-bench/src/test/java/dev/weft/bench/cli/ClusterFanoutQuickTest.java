package dev.weft.bench.cli;

import dev.weft.bench.report.ResultFile;
import dev.weft.bench.scenario.Measurement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code weft bench cluster-fanout --quick --nodes 2} for real: for each engine a private redis-server or
 * nats-server and two Weft nodes, subscribers spread over both. Asserts that every subscriber, on either node,
 * got every publication and that the broker's CPU was read; never timings. Needs redis-server and nats-server.
 */
class ClusterFanoutQuickTest {

    @TempDir
    Path out;

    @Test
    void subscribersOnEveryNodeReceiveEveryPublicationThroughEachEngine() throws Exception {
        int exit = BenchCommand.execute("cluster-fanout", "--quick", "--nodes", "2", "--out", out.toString());
        assertThat(exit).isZero();

        ResultFile result = ResultFile.read(out.resolve("results.json"));
        assertThat(result.targets()).containsExactly("weft-redis-2", "weft-nats-2");
        assertThat(result.runs()).hasSize(2).allSatisfy(m -> {
            assertThat(Objects.requireNonNullElse(m.note(), "")).as(m.target()).doesNotStartWith("failed:");
            assertThat(m.expected()).as(m.target()).isPositive();
            assertThat(m.delivered()).as("every publication reached every subscriber through %s", m.target())
                    .isEqualTo(m.expected());
            assertThat(m.lost()).isZero();
            assertThat(m.brokerCpuSecondsPerMillion()).as("broker CPU of %s", m.target()).isNotNull();
            assertThat(m.serverCpuSeconds()).isPositive();
        });
        assertThat(result.runs()).extracting(Measurement::scenario).containsOnly("cluster-fanout");
        // Two nodes and the broker per target, each with its own log.
        assertThat(Files.list(out.resolve("logs")).count()).isEqualTo(6);
    }

    @Test
    void clusterTargetsComeFromEngineAndNodesNotFromTarget() {
        assertThat(BenchCommand.execute("cluster-fanout", "--target", "weft", "--out", out.toString())).isNotZero();
        assertThat(BenchCommand.execute("cluster-fanout", "--engine", "kafka", "--out", out.toString())).isNotZero();
    }
}
