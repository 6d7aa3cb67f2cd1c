package dev.weft.core.limits;

import dev.weft.core.limits.CommandRateLimiter.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandRateLimiterTest {
    private final ManualTime time = new ManualTime();

    private static List<Verdict> acquire(CommandRateLimiter limiter, int n) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(limiter.acquire());
        }
        return out;
    }

    @Test
    void aBurstPassesThenCommandsAreRefusedThenTheClientIsCutOff() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 20, 5, time);
        List<Verdict> verdicts = acquire(limiter, 30);
        assertThat(verdicts.subList(0, 20)).containsOnly(Verdict.ALLOW);
        assertThat(verdicts.subList(20, 25)).containsOnly(Verdict.REFUSE);
        assertThat(verdicts.subList(25, 30)).containsOnly(Verdict.DISCONNECT);
    }

    @Test
    void theRateRefillsOverTime() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 10, 0, time);
        assertThat(acquire(limiter, 10)).containsOnly(Verdict.ALLOW);
        assertThat(limiter.acquire()).isEqualTo(Verdict.REFUSE);
        time.advance(Duration.ofMillis(500));
        assertThat(acquire(limiter, 5)).containsOnly(Verdict.ALLOW);
        assertThat(limiter.acquire()).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void aClientThatBacksOffAfterRefusalsIsNeverCutOff() {
        CommandRateLimiter limiter = new CommandRateLimiter(10, 10, 3, time);
        for (int second = 0; second < 20; second++) {
            // 10 allowed, then 3 refused each second: within the tolerated refusals every time.
            assertThat(acquire(limiter, 13)).doesNotContain(Verdict.DISCONNECT);
            time.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void withoutARefusalLimitRefusalsNeverDisconnect() {
        CommandRateLimiter limiter = new CommandRateLimiter(1, 1, 0, time);
        assertThat(acquire(limiter, 1000)).doesNotContain(Verdict.DISCONNECT);
    }

    @Test
    void burstBelowTheRateIsRaisedToTheRate() {
        CommandRateLimiter limiter = new CommandRateLimiter(50, 1, 0, time);
        assertThat(acquire(limiter, 50)).containsOnly(Verdict.ALLOW);
    }

    @Test
    void rateZeroMeansNoLimiter() {
        assertThat(CommandRateLimiter.create(0, 10, 10)).isNull();
        assertThatThrownBy(() -> new CommandRateLimiter(0, 1, 1, time)).isInstanceOf(IllegalArgumentException.class);
    }
}
