package dev.weft.server.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0s, 0",
            "25s, 25000000000",
            "300ms, 300000000",
            "1h30m, 5400000000000",
            "720h, 2592000000000000",
            "1.5h, 5400000000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "2h45m30.5s, 9930500000000",
            "10us, 10000",
            "10µs, 10000",
            "10μs, 10000",
            "7ns, 7",
            "-1.5s, -1500000000",
            "+3m, 180000000000",
            "1m1m, 120000000000",
    })
    void parsesGoDurationStrings(String text, long nanos) {
        assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "25", "1x", "1.5", ".s", "-", "1h 30m", " 25s", "1e3s", "25S", "1hh"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOverflowLikeGo() {
        assertThat(GoDuration.parseNanos("2562047h")).isEqualTo(2562047L * 3_600_000_000_000L);
        assertThatThrownBy(() -> GoDuration.parse("2562048h")).hasMessageContaining("too large");
        assertThatThrownBy(() -> GoDuration.parse("9223372036854775808ns")).hasMessageContaining("too large");
    }

    @Test
    void namesTheMissingOrUnknownUnit() {
        assertThatThrownBy(() -> GoDuration.parse("30")).hasMessageContaining("missing unit");
        assertThatThrownBy(() -> GoDuration.parse("30d")).hasMessageContaining("unknown unit \"d\"");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "25000000000, 25s",
            "300000000, 300ms",
            "5400000000000, 1h30m",
            "2592000000000000, 720h",
            "3605000000000, 1h5s",
            "65500000000, 1m5.5s",
            "1500, 1.5µs",
            "7, 7ns",
            "-1500000000, -1.5s",
            "1000000001, 1.000000001s",
    })
    void formatsInShortestGoForm(long nanos, String text) {
        assertThat(GoDuration.formatNanos(nanos)).isEqualTo(text);
    }

    @Property
    void formatThenParseIsIdentity(@ForAll @LongRange(min = -Long.MAX_VALUE, max = Long.MAX_VALUE) long nanos) {
        assertThat(GoDuration.parseNanos(GoDuration.formatNanos(nanos))).isEqualTo(nanos);
    }

    @Property
    void readsBackDurationsNearUnitBoundaries(@ForAll("boundaryDurations") Duration d) {
        assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
    }

    @Property
    void parsesComposedUnitStringsToTheirSum(@ForAll("composed") long[] parts) {
        long h = parts[0];
        long m = parts[1];
        long s = parts[2];
        long ms = parts[3];
        String text = h + "h" + m + "m" + s + "s" + ms + "ms";
        long expected = ((h * 60 + m) * 60 + s) * 1_000_000_000L + ms * 1_000_000L;
        assertThat(GoDuration.parseNanos(text)).isEqualTo(expected);
        assertThat(GoDuration.parseNanos(GoDuration.formatNanos(expected))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Duration> boundaryDurations() {
        Arbitrary<Long> units = Arbitraries.of(1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
                3_600_000_000_000L);
        return Combinators.combine(units, Arbitraries.longs().between(0, 100_000), Arbitraries.longs().between(-2, 2))
                .as((unit, count, nudge) -> Duration.ofNanos(unit * count + nudge));
    }

    @Provide
    Arbitrary<long[]> composed() {
        return Combinators.combine(Arbitraries.longs().between(0, 100_000), Arbitraries.longs().between(0, 10_000),
                        Arbitraries.longs().between(0, 10_000), Arbitraries.longs().between(0, 10_000))
                .as((h, m, s, ms) -> new long[]{h, m, s, ms});
    }
}
