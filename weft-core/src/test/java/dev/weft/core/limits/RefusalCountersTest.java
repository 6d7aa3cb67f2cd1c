package dev.weft.core.limits;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ProtocolError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalCountersTest {

    @Test
    void countsCommandErrorsAndRefusingDisconnectsByName() {
        RefusalCounters counters = new RefusalCounters();
        counters.commandRefused(ErrorCode.TOO_MANY_REQUESTS.error());
        counters.commandRefused(ErrorCode.TOO_MANY_REQUESTS.error());
        counters.commandRefused(new ProtocolError(4001, "custom", false));
        counters.disconnected(DisconnectCode.STALE.disconnect());
        counters.disconnected(DisconnectCode.SHUTDOWN.disconnect());
        counters.disconnected(DisconnectCode.INSUFFICIENT_STATE.disconnect());
        counters.increment(RefusalCounters.CONNECTION_ORIGIN);

        assertThat(counters.snapshot()).containsExactly(
                java.util.Map.entry("command.application_error", 1L),
                java.util.Map.entry("command.too_many_requests", 2L),
                java.util.Map.entry("connection.origin", 1L),
                java.util.Map.entry("disconnect.stale", 1L));
        assertThat(counters.count("disconnect.shutdown")).as("shutdown is no refusal").isZero();
    }

    @Test
    void reasonNamesFollowTheProtocolCodes() {
        assertThat(RefusalCounters.commandReason(106)).isEqualTo("command.limit_exceeded");
        assertThat(RefusalCounters.disconnectReason(3013)).isEqualTo("disconnect.too_many_requests");
        assertThat(RefusalCounters.disconnectReason(1009)).isEqualTo("disconnect.message_size_limit");
        assertThat(RefusalCounters.disconnectReason(3001)).isNull();
    }

    @Test
    void logThrottleLetsOneLineThroughPerIntervalAndCountsTheRest() {
        AtomicLong now = new AtomicLong();
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(1), now::get);
        assertThat(throttle.admit()).isZero();
        assertThat(throttle.admit()).isEqualTo(-1);
        assertThat(throttle.admit()).isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.admit()).as("two were left out").isEqualTo(2);
    }
}
