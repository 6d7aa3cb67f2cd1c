package dev.weft.bench.scenario;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PublishStepTest {

    @Property
    void subscribersSpreadOverEveryNodeWithinOneOfEachOther(@ForAll @IntRange(min = 0, max = 5_000) int subscribers,
                                                             @ForAll @IntRange(min = 1, max = 7) int nodes) {
        int[] perNode = new int[nodes];
        IntStream.range(0, subscribers).forEach(i -> perNode[PublishStep.nodeOf(i, nodes)]++);

        int min = IntStream.of(perNode).min().orElseThrow();
        int max = IntStream.of(perNode).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(IntStream.of(perNode).sum()).isEqualTo(subscribers);
        if (subscribers >= nodes) {
            assertThat(min).isPositive();
        }
    }
}
