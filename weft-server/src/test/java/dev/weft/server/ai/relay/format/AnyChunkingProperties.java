package dev.weft.server.ai.relay.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However the upstream's bytes are cut into reads — inside a UTF-8 sequence, between CR and LF, inside a JSON
 * escape — and whichever line ending the server uses, a transcript yields the same parts as read whole.
 */
class AnyChunkingProperties {

    record Case(String name, String lineEnd, int[] cuts) {
    }

    @Property(tries = 300)
    void anyChunkingYieldsTheGoldenParts(@ForAll("cases") Case c) {
        byte[] body = body(c.name(), c.lineEnd());
        int[] cuts = java.util.Arrays.stream(c.cuts()).map(x -> x % (body.length + 1)).sorted().toArray();
        assertThat(Transcripts.translate(Transcripts.format(c.name()), body, cuts))
                .containsExactlyElementsOf(Transcripts.golden(c.name()));
    }

    private static byte[] body(String name, String lineEnd) {
        String text = new String(Transcripts.bytes(name + ".sse"), StandardCharsets.UTF_8);
        return text.replace("\n", lineEnd).getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> names = Arbitraries.of(Transcripts.NAMES);
        Arbitrary<String> ends = Arbitraries.of("\n", "\r\n", "\r");
        Arbitrary<int[]> cuts = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMaxSize(400);
        return Combinators.combine(names, ends, cuts).as(Case::new);
    }

    @Property(tries = 50)
    void everySingleByteReadYieldsTheGoldenParts(@ForAll("names") String name) {
        byte[] body = body(name, "\n");
        int[] cuts = new int[body.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i;
        }
        assertThat(Transcripts.translate(Transcripts.format(name), body, cuts))
                .containsExactlyElementsOf(Transcripts.golden(name));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(List.copyOf(Transcripts.NAMES));
    }
}
