package dev.weft.protocol.delta;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FossilDeltaTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void createsTheSameBytesAsFossilItself(int vector) throws IOException {
        byte[] origin = resource(vector, "origin");
        byte[] target = resource(vector, "target");

        assertThat(FossilDelta.create(origin, target)).isEqualTo(resource(vector, "delta"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void appliesFossilsDeltas(int vector) throws IOException {
        assertThat(FossilDelta.apply(resource(vector, "origin"), resource(vector, "delta")))
                .isEqualTo(resource(vector, "target"));
    }

    @Property(tries = 300)
    void applyingTheCreatedDeltaGivesTheTarget(@ForAll("documents") byte[] origin, @ForAll("edits") long seed) {
        byte[] target = edit(origin, new Random(seed));

        assertThat(FossilDelta.apply(origin, FossilDelta.create(origin, target))).isEqualTo(target);
    }

    @Property(tries = 200)
    void anyTwoByteStringsRoundTrip(@ForAll @Size(max = 300) byte[] origin, @ForAll @Size(max = 300) byte[] target) {
        assertThat(FossilDelta.apply(origin, FossilDelta.create(origin, target))).isEqualTo(target);
    }

    @Property(tries = 200)
    void aCorruptedDeltaIsRefusedOrStillChecked(@ForAll("documents") byte[] origin, @ForAll("edits") long seed) {
        byte[] target = edit(origin, new Random(seed));
        byte[] delta = FossilDelta.create(origin, target);
        Random random = new Random(seed);
        delta[random.nextInt(delta.length)] ^= (byte) (1 + random.nextInt(255));
        try {
            byte[] result = FossilDelta.apply(origin, delta);
            // a flipped literal byte can only get through if the checksum happens to collide
            assertThat(FossilDelta.checksum(result)).isEqualTo(FossilDelta.checksum(target));
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageNotContaining("Index"); // refused by a check, not by an array bound
        }
    }

    @Test
    void aSmallChangeInALargeDocumentGivesASmallDelta() {
        StringBuilder doc = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 200; i++) {
            doc.append("{\"id\":").append(i).append(",\"price\":").append(100 + i).append("},");
        }
        byte[] before = (doc + "{}]}").getBytes(StandardCharsets.UTF_8);
        byte[] after = (doc.toString().replace("\"price\":150", "\"price\":151") + "{}]}")
                .getBytes(StandardCharsets.UTF_8);

        byte[] delta = FossilDelta.create(before, after);
        assertThat(delta.length).isLessThan(40);
        assertThat(FossilDelta.apply(before, delta)).isEqualTo(after);
    }

    @Test
    void refusesMalformedDeltas() {
        byte[] origin = "hello world, hello fossil".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FossilDelta.apply(origin, "5x".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FossilDelta.apply(origin, "5\n5@100,0;".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("past end");
        assertThatThrownBy(() -> FossilDelta.apply(origin, "5\n9:abc".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FossilDelta.apply(origin, "2\n2:ab0;".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> FossilDelta.apply(origin, "2\n2:ab".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("unterminated");
    }

    @Provide
    Arbitrary<byte[]> documents() {
        return Arbitraries.strings().withChars("abcdefgh{}\":,0123456789 é😀").ofMaxLength(600)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Long> edits() {
        return Arbitraries.longs();
    }

    /** A few random insertions, deletions and replacements: a changed version of the same document. */
    static byte[] edit(byte[] origin, Random random) {
        StringBuilder s = new StringBuilder(new String(origin, StandardCharsets.ISO_8859_1));
        int edits = random.nextInt(5);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.insert(at, "ins" + random.nextInt(1000));
                case 1 -> s.delete(at, Math.min(s.length(), at + random.nextInt(20)));
                default -> {
                    if (!s.isEmpty()) {
                        s.setCharAt(at, (char) ('a' + random.nextInt(26)));
                    }
                }
            }
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] resource(int vector, String name) throws IOException {
        try (InputStream in = FossilDeltaTest.class.getResourceAsStream("/fossil/" + vector + "/" + name)) {
            assertThat(in).as("test vector %d/%s", vector, name).isNotNull();
            return in.readAllBytes();
        }
    }
}
