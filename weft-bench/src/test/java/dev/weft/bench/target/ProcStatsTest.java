package dev.weft.bench.target;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProcStatsTest {

    @Test
    void cpuIsUserPlusSystemTicksCountedAfterTheCommandName() {
        // A command name with spaces and a ')' of its own, as a thread or process may be named.
        String stat = "2231 (redis) server x) S 1 2231 2231 0 -1 4194560 1021 0 0 0 1234 567 0 0 20 0 5 0"
                + " 1764 23805952 2405 18446744073709551615 1 1 0 0 0 0 0 4097 17642 0 0 0 17 1 0 0 0 0 0\n";

        assertThat(ProcStats.cpuSecondsOfStat(stat)).isCloseTo(18.01, within(1e-9));
    }

    @Test
    void severalProcessesAddUp() throws IOException {
        long self = ProcessHandle.current().pid();
        double one = ProcStats.cpuSeconds(self);

        double twice = ProcStats.cpuSeconds(List.of(self, self));

        // The process keeps using CPU between the reads: twice its own, give or take the ticks in between.
        assertThat(twice).isGreaterThanOrEqualTo(2 * one).isLessThan(2 * one + 5);
    }
}
