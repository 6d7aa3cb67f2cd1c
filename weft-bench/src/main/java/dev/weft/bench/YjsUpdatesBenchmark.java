package dev.weft.bench;

import dev.weft.yjs.YUpdates;
import dev.weft.yjs.YjsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a document room does with weft-yjs: compaction merges the stored state with the updates appended
 * since, and every joining client gets a diff against its state vector. Input is a real yjs document of
 * about 1 MB made by {@code interop/node/yjs/bigdoc.mjs} (see docs/benchmarks.md); setup checks the Java
 * merge against yjs's bytes before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class YjsUpdatesBenchmark {
  /** Directory written by bigdoc.mjs (relative to the repository root, where the command runs). */
  @Param({"weft-bench/target/yjs-bigdoc"})
  public String dir;

  private byte[] base;
  private List<byte[]> updates;
  private byte[] stateVector;
  private byte[] merged;
  private List<byte[]> baseAndUpdates;

  @Setup
  public void load() throws IOException, YjsFormatException {
    Path d = Path.of(dir);
    base = Files.readAllBytes(d.resolve("base.bin"));
    stateVector = Files.readAllBytes(d.resolve("sv.bin"));
    updates = new ArrayList<>();
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(d.resolve("updates.bin")));
    while (all.hasRemaining()) {
      byte[] u = new byte[all.getInt()];
      all.get(u);
      updates.add(u);
    }
    baseAndUpdates = new ArrayList<>();
    baseAndUpdates.add(base);
    baseAndUpdates.addAll(updates);
    merged = YUpdates.merge(baseAndUpdates);
    if (!Arrays.equals(merged, Files.readAllBytes(d.resolve("expected-merge.bin")))) {
      throw new IllegalStateException("Java merge differs from yjs's for " + d);
    }
  }

  /** Compaction: the stored 1 MB state plus 2 000 small updates into one. */
  @Benchmark
  public byte[] compactStateWithUpdates() throws YjsFormatException {
    return YUpdates.merge(baseAndUpdates);
  }

  /** The 2 000 small updates alone (a compaction of the update log without the base). */
  @Benchmark
  public byte[] mergeSmallUpdates() throws YjsFormatException {
    return YUpdates.merge(updates);
  }

  /** A client that saw half the document joins (SyncStep2). */
  @Benchmark
  public byte[] diffForLaggingClient() throws YjsFormatException {
    return YUpdates.diff(merged, stateVector);
  }

  /** A new client joins with an empty state vector. */
  @Benchmark
  public byte[] diffForNewClient() throws YjsFormatException {
    return YUpdates.diff(merged, new byte[] {0});
  }

  @Benchmark
  public byte[] stateVectorOfDocument() throws YjsFormatException {
    return YUpdates.stateVector(merged);
  }
}
