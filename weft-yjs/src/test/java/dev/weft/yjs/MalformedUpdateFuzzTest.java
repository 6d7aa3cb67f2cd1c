package dev.weft.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.yjs.update.UpdateFormat;
import dev.weft.yjs.update.Updates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Decoders fed broken bytes: truncations, bit flips, huge length prefixes and random bytes spliced into
 * the golden vectors. Every operation either succeeds or throws {@link YjsFormatException} with an offset
 * inside the input; nothing else escapes (no runtime exception, no stack overflow, no out-of-memory from
 * a length prefix) and nothing loops.
 */
class MalformedUpdateFuzzTest {
  private static final List<byte[]> CORPUS = corpus();

  private static List<byte[]> corpus() {
    try {
      List<byte[]> out = new ArrayList<>();
      for (String name : GoldenVectorsTest.cases()) {
        for (String line : GoldenVectorsTest.lines("/yjs-vectors/" + name + ".vec")) {
          String[] f = line.split(" ");
          if (f[0].equals("update") || f[0].equals("state") || f[0].equals("updateV2") || f[0].equals("stateV2")) {
            out.add(GoldenVectorsTest.b(f[1]));
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<byte[]> valid() {
    return Arbitraries.of(CORPUS);
  }

  @Property(tries = 2000)
  void truncatedUpdatesFailCleanly(@ForAll("valid") byte[] update, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
    exercise(Arrays.copyOf(update, cut % (update.length + 1)));
  }

  @Property(tries = 3000)
  void bitFlipsFailCleanlyOrDecode(@ForAll("valid") byte[] update, @ForAll long seed) {
    byte[] broken = update.clone();
    Random random = new Random(seed);
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(broken.length);
      broken[at] ^= (byte) (1 << random.nextInt(8));
    }
    exercise(broken);
  }

  @Property(tries = 2000)
  void hugeLengthPrefixesAreRefused(@ForAll("valid") byte[] update, @ForAll long seed) {
    Random random = new Random(seed);
    int at = random.nextInt(update.length);
    // a varUint near 2^31, 2^32 or 2^53 - 1 overwriting whatever stood there
    byte[][] prefixes = {
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
    };
    byte[] prefix = prefixes[random.nextInt(prefixes.length)];
    byte[] broken = new byte[update.length + prefix.length];
    System.arraycopy(update, 0, broken, 0, at);
    System.arraycopy(prefix, 0, broken, at, prefix.length);
    System.arraycopy(update, at, broken, at + prefix.length, update.length - at);
    exercise(broken);
  }

  @Property(tries = 2000)
  void randomBytesSplicedIntoValidUpdates(@ForAll("valid") byte[] update, @ForAll long seed) {
    Random random = new Random(seed);
    byte[] broken = update.clone();
    int at = random.nextInt(broken.length);
    int length = Math.min(broken.length - at, 1 + random.nextInt(16));
    for (int i = 0; i < length; i++) {
      broken[at + i] = (byte) random.nextInt(256);
    }
    exercise(broken);
  }

  @Property(tries = 2000)
  void randomBytes(@ForAll byte[] bytes) {
    exercise(bytes);
  }

  /** Runs every operation, in both formats, on {@code input}, alone and next to a valid update. */
  static void exercise(byte[] input) {
    byte[] other = CORPUS.get(Math.floorMod(Arrays.hashCode(input), CORPUS.size()));
    for (UpdateFormat format : UpdateFormat.values()) {
      expectCleanly(input, () -> Updates.encode(Updates.decode(input, format), format));
      expectCleanly(input, () -> Updates.stateVector(input, format));
      expectCleanly(input, () -> Updates.meta(input, format));
      expectCleanly(input, () -> Updates.merge(List.of(input, other), format));
      expectCleanly(input, () -> Updates.merge(List.of(other, input, other), format));
      expectCleanly(input, () -> Updates.diff(input, new byte[] {0}, format));
      expectCleanly(input, () -> Updates.diff(other, input, format)); // as a state vector
      expectCleanly(input, () -> Updates.diff(input, Updates.stateVector(other, format), format));
      UpdateFormat otherFormat = format == UpdateFormat.V1 ? UpdateFormat.V2 : UpdateFormat.V1;
      expectCleanly(input, () -> Updates.convert(input, format, otherFormat));
    }
  }

  interface Operation {
    Object run() throws YjsFormatException;
  }

  private static void expectCleanly(byte[] input, Operation operation) {
    try {
      operation.run();
    } catch (YjsFormatException e) {
      // the offset is somewhere in one of the inputs (the longest bounds every reader)
      assertThat(e.offset()).isBetween(0, Math.max(input.length, 1 << 20));
    }
  }
}
