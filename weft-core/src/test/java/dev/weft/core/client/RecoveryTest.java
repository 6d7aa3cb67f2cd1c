package dev.weft.core.client;

import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

    private static List<Publication> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive)
                .mapToObj(o -> new Publication(new byte[] {'1'}, null, o)).toList();
    }

    /**
     * A stream kept {@code kept} newest of {@code top} publications; a client at {@code clientOffset} is
     * recovered exactly when everything after its offset is still kept and within the limit — and then
     * gets exactly that range.
     */
    @Property
    void recoveredIffWholeMissedRangeIsKept(@ForAll @LongRange(min = 0, max = 500) long top,
                                            @ForAll @IntRange(min = 0, max = 500) int kept,
                                            @ForAll @LongRange(min = 0, max = 600) long clientOffset,
                                            @ForAll @IntRange(min = 1, max = 400) int maxRecovered) {
        long oldestKept = Math.max(1, top - kept + 1);
        long from = Math.max(clientOffset + 1, oldestKept);
        List<Publication> history = from > top ? List.of() : range(from, Math.min(top, from + maxRecovered));
        var outcome = Recovery.recover(new StreamPosition(clientOffset, "e"), new StreamPosition(top, "e"),
                history, maxRecovered);
        boolean shouldRecover = clientOffset <= top
                && top - clientOffset <= maxRecovered
                && (clientOffset == top || oldestKept <= clientOffset + 1);
        assertThat(outcome.recovered()).isEqualTo(shouldRecover);
        if (shouldRecover) {
            assertThat(outcome.publications()).extracting(Publication::offset)
                    .containsExactlyElementsOf(LongStream.rangeClosed(clientOffset + 1, top).boxed().toList());
        } else {
            assertThat(outcome.publications()).isEmpty();
        }
    }

    @Test
    void epochChangeIsNeverRecovered() {
        var outcome = Recovery.recover(new StreamPosition(3, "old"), new StreamPosition(5, "new"),
                range(4, 5), 100);
        assertThat(outcome.recovered()).isFalse();
        assertThat(outcome.publications()).isEmpty();
    }

    @Test
    void gapInsideHistoryIsNotRecovered() {
        List<Publication> withGap = new ArrayList<>(range(4, 5));
        withGap.add(new Publication(new byte[] {'1'}, null, 7));
        var outcome = Recovery.recover(new StreamPosition(3, "e"), new StreamPosition(6, "e"), withGap, 100);
        assertThat(outcome.recovered()).isFalse();
    }

    @Test
    void offsetBeyondTopIsNotRecovered() {
        var outcome = Recovery.recover(new StreamPosition(9, "e"), new StreamPosition(5, "e"), List.of(), 100);
        assertThat(outcome.recovered()).isFalse();
    }
}
