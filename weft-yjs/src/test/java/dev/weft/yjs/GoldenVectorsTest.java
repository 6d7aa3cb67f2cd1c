package dev.weft.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.yjs.update.UpdateFormat;
import dev.weft.yjs.update.UpdateMeta;
import dev.weft.yjs.update.Updates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Byte-for-byte checks against vectors made by the real yjs package ({@code interop/node/yjs/vectors.mjs},
 * versions in {@code yjs-vectors/manifest.txt}). Each line of a case file is one check:
 * <pre>
 *   update U          decode → encode gives U            state U      the same for a doc's full state
 *   sv U S            stateVector(U) = S                 meta U m     parseMeta(U) = m
 *   merge U1,U2,… R   merge(U1, U2, …) = R               diff U S R   diff(U, S) = R
 * </pre>
 * and the v2 forms: {@code updateV2 U2 U1} (decode/encode U2, convert U2 → U1), {@code stateV2},
 * {@code mergeV2}, {@code svV2}, {@code diffV2}, {@code convert U1 U2}, {@code convertV2 U2 U1}.
 */
class GoldenVectorsTest {
  private static final String DIR = "/yjs-vectors/";

  @TestFactory
  Stream<DynamicTest> everyVectorMatchesYjs() throws IOException {
    return cases().stream().map(name -> DynamicTest.dynamicTest(name, () -> checkCase(name)));
  }

  static List<String> cases() throws IOException {
    return lines(DIR + "manifest.txt").stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }

  static List<String> lines(String resource) throws IOException {
    try (InputStream in = GoldenVectorsTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static void checkCase(String name) throws Exception {
    int checks = 0;
    for (String line : lines(DIR + name + ".vec")) {
      String[] f = line.split(" ");
      String kind = f[0];
      String at = name + ": " + kind + " " + abbreviate(line);
      switch (kind) {
        case "update", "state" -> assertRoundTrip(f[1], UpdateFormat.V1, at);
        case "sv" -> assertThat(YUpdates.stateVector(b(f[1]))).as(at).isEqualTo(b(f[2]));
        case "meta" -> assertThat(metaString(YUpdates.parseMeta(b(f[1])))).as(at).isEqualTo(f[2]);
        case "merge" -> assertThat(YUpdates.merge(list(f[1]))).as(at).isEqualTo(b(f[2]));
        case "diff" -> assertThat(YUpdates.diff(b(f[1]), b(f[2]))).as(at).isEqualTo(b(f[3]));
        case "updateV2" -> {
          assertRoundTrip(f[1], UpdateFormat.V2, at);
          assertThat(YUpdates.v2ToV1(b(f[1]))).as(at).isEqualTo(b(f[2]));
        }
        case "stateV2" -> assertRoundTrip(f[1], UpdateFormat.V2, at);
        case "mergeV2" -> assertThat(YUpdates.mergeV2(list(f[1]))).as(at).isEqualTo(b(f[2]));
        case "svV2" -> assertThat(YUpdates.stateVectorV2(b(f[1]))).as(at).isEqualTo(b(f[2]));
        case "diffV2" -> assertThat(YUpdates.diffV2(b(f[1]), b(f[2]))).as(at).isEqualTo(b(f[3]));
        case "convert" -> assertThat(YUpdates.v1ToV2(b(f[1]))).as(at).isEqualTo(b(f[2]));
        case "convertV2" -> assertThat(YUpdates.v2ToV1(b(f[1]))).as(at).isEqualTo(b(f[2]));
        default -> throw new AssertionError("unknown vector kind " + kind + " in " + name);
      }
      checks++;
    }
    assertThat(checks).as(name + " checks").isPositive();
  }

  static void assertRoundTrip(String base64, UpdateFormat format, String at) throws YjsFormatException {
    byte[] update = b(base64);
    assertThat(Updates.encode(Updates.decode(update, format), format)).as(at).isEqualTo(update);
  }

  static byte[] b(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  static List<byte[]> list(String commaSeparated) {
    List<byte[]> out = new ArrayList<>();
    for (String s : commaSeparated.split(",")) {
      out.add(b(s));
    }
    return out;
  }

  static String metaString(UpdateMeta meta) {
    return side(meta.from()) + ";" + side(meta.to());
  }

  private static String side(Map<Long, Long> map) {
    return map.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
  }

  private static String abbreviate(String line) {
    return line.length() > 80 ? line.substring(0, 80) + "…" : line;
  }
}
