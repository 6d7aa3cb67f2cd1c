package dev.weft.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * weft-yjs against the installed {@code yjs} package, live (see {@code node/yjs/}): the golden-vector
 * documents regenerated and cross-checked call by call, and a randomized multi-client session whose
 * server merges and diffs run in Java.
 *
 * <p>The randomized check runs fixed seeds 1–{@value #DEFAULT_SEEDS} with {@value #DEFAULT_STEPS} steps
 * by default; for long runs set {@code -Dweft.yjs.seeds=<count>} (seeds 1…count),
 * {@code -Dweft.yjs.firstSeed=<n>}, {@code -Dweft.yjs.steps=<n>} and {@code -Dweft.yjs.clients=<n>}.
 */
class YjsInteropTest {
  static final int DEFAULT_SEEDS = 8;
  static final int DEFAULT_STEPS = 400;

  @Test
  void javaMergesDiffsAndConversionsMatchYjsAndApplyToTheSameContent() throws Exception {
    YjsPeer.Result result = YjsPeer.run("yjs/crosscheck-vectors.mjs", Map.of(), Duration.ofMinutes(3));
    assertThat(result.exitCode()).as(result.transcript()).isZero();
    JsonNode done = result.done();
    assertThat(done.get("checks").asInt()).as(result.transcript()).isGreaterThan(300);
    assertThat(result.calls()).isEqualTo(done.get("javaCalls").asInt());
  }

  @TestFactory
  Stream<DynamicTest> randomConcurrentEditsConvergeThroughJavaMergesAndDiffs() {
    long first = Long.getLong("weft.yjs.firstSeed", 1);
    int seeds = Integer.getInteger("weft.yjs.seeds", DEFAULT_SEEDS);
    String steps = String.valueOf(Integer.getInteger("weft.yjs.steps", DEFAULT_STEPS));
    String clients = String.valueOf(Integer.getInteger("weft.yjs.clients", 6));
    return LongStream.range(first, first + seeds).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
      YjsPeer.Result result = YjsPeer.run("yjs/crosscheck-random.mjs",
          Map.of("YJS_SEED", Long.toString(seed), "YJS_STEPS", steps, "YJS_CLIENTS", clients), Duration.ofMinutes(5));
      assertThat(result.exitCode()).as(result.transcript()).isZero();
      JsonNode done = result.done();
      assertThat(done.get("seed").asLong()).isEqualTo(seed);
      assertThat(result.calls()).as("Java answered every merge and diff").isGreaterThan(10);
    }));
  }
}
