package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weft.protocol.delta.FossilDelta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weft's Fossil delta against the npm {@code fossil-delta} package (pinned in {@code interop/node/package.json}):
 * for random documents and edits npm applies Weft's deltas and Weft applies npm's, each giving the target byte
 * for byte. The delta bytes themselves are equal whenever the origin's length is a multiple of 16: the npm port
 * sizes its hash table as ceil(length / 16) where fossil's {@code delta.c} and Centrifuge's Go port (which Weft
 * follows, see the golden vectors in weft-protocol) use floor, so for other lengths the two may pick other,
 * equally valid, copy commands.
 */
class FossilDeltaInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CASES = 400;

    @Test
    void weftAndNpmFossilDeltaCreateTheSameBytesAndApplyEachOthersDeltas(@TempDir Path dir) throws Exception {
        Random random = new Random(11);
        List<byte[][]> cases = new ArrayList<>();
        ArrayNode file = JSON.createArrayNode();
        for (int i = 0; i < CASES; i++) {
            byte[] origin = document(random);
            if (i % 2 == 0) { // half the origins 16-byte aligned, where both encoders must agree byte for byte
                origin = java.util.Arrays.copyOf(origin, origin.length + (16 - origin.length % 16) % 16);
            }
            byte[] target = random.nextInt(10) == 0 ? document(random) : edit(origin, random);
            byte[] delta = FossilDelta.create(origin, target);
            cases.add(new byte[][] {origin, target, delta});
            file.addObject().put("origin", b64(origin)).put("target", b64(target)).put("weftDelta", b64(delta));
        }
        Path input = dir.resolve("cases.json");
        Files.write(input, JSON.writeValueAsBytes(file));

        NodeScript.Result run = NodeScript.runScript("fossil-crosscheck.mjs",
                Map.of("FOSSIL_CASES", input.toString()), Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.transcript()).isZero();
        List<JsonNode> answers = run.events("case");
        assertThat(answers).hasSize(CASES);
        int sameBytes = 0;
        for (JsonNode answer : answers) {
            byte[][] c = cases.get(answer.path("index").asInt());
            byte[] npmDelta = Base64.getDecoder().decode(answer.path("npmDelta").asText());
            if (c[0].length % 16 == 0) {
                assertThat(npmDelta).as("delta bytes of case %s", answer.path("index")).isEqualTo(c[2]);
                sameBytes++;
            }
            assertThat(answer.path("npmApplied").isTextual()).as("npm applies case %s: %s", answer.path("index"),
                    answer.path("npmApplied")).isTrue();
            assertThat(Base64.getDecoder().decode(answer.path("npmApplied").asText())).isEqualTo(c[1]);
            assertThat(FossilDelta.apply(c[0], npmDelta)).isEqualTo(c[1]);
        }
        assertThat(sameBytes).as("cases compared byte for byte").isGreaterThan(CASES / 3);
    }

    /** A JSON-like document of 0–4 KiB with repeated structure and some non-ASCII text. */
    private static byte[] document(Random random) {
        StringBuilder s = new StringBuilder("{\"items\":[");
        int n = random.nextInt(60);
        for (int i = 0; i < n; i++) {
            s.append("{\"id\":").append(random.nextInt(1000)).append(",\"name\":\"item ").append(i)
                    .append(random.nextBoolean() ? " é😀" : "").append("\",\"price\":").append(random.nextDouble())
                    .append("},");
        }
        return s.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] edit(byte[] origin, Random random) {
        byte[] target = origin.clone();
        int changes = 1 + random.nextInt(6);
        List<Byte> bytes = new ArrayList<>(target.length);
        for (byte b : target) {
            bytes.add(b);
        }
        for (int i = 0; i < changes && !bytes.isEmpty(); i++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(3)) {
                case 0 -> bytes.add(at, (byte) ('0' + random.nextInt(10)));
                case 1 -> bytes.subList(at, Math.min(bytes.size(), at + random.nextInt(30))).clear();
                default -> bytes.set(at, (byte) ('a' + random.nextInt(26)));
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
