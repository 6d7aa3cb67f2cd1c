package dev.weft.redis;

import dev.weft.core.broker.PublishOptions;
import dev.weft.protocol.model.StreamPosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Epochs of channels without a stream do not depend on Redis's clock: against a private Redis whose wall
 * clock the test moves across UTC midnight and further ({@link ShiftedClock}).
 */
class RedisEpochClockTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final PublishOptions HISTORY = PublishOptions.withHistory(10, Duration.ofMinutes(5));

    private static ShiftedClock clock;
    private static PrivateRedis redis;
    private RedisBroker broker;

    @BeforeAll
    static void startRedis() throws Exception {
        clock = new ShiftedClock();
        redis = PrivateRedis.withClock(clock);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void connect() {
        broker = new RedisBroker(RedisEngineConfig.of(List.of(redis.address()), RedisTestSupport.uniquePrefix()));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aChannelThatNeverHadAStreamKeepsItsEpochAcrossMidnightAndTheFirstPublicationGetsIt() throws Exception {
        setSecondsAfterMidnight(-5);
        StreamPosition before = broker.position("quiet");

        setSecondsAfterMidnight(5);
        StreamPosition after = broker.position("quiet");
        clock.set(Duration.ofDays(40));
        StreamPosition muchLater = broker.position("quiet");

        assertThat(after).isEqualTo(before);
        assertThat(muchLater).isEqualTo(before);
        assertThat(broker.publish("quiet", "first".getBytes(UTF_8), HISTORY).position())
                .isEqualTo(new StreamPosition(1, before.epoch()));
    }

    @Test
    void aRemovedStreamsSuccessorEpochStaysTheSameAcrossMidnightAndNeverTurnsBackIntoTheRemovedOne()
            throws Exception {
        setSecondsAfterMidnight(-5);
        StreamPosition removed = broker.publish("dropped", "gone".getBytes(UTF_8), HISTORY).position();
        broker.removeHistory("dropped");
        StreamPosition before = broker.position("dropped");

        setSecondsAfterMidnight(5);
        StreamPosition after = broker.position("dropped");

        assertThat(before.epoch()).isNotEqualTo(removed.epoch());
        assertThat(after).isEqualTo(before);
        assertThat(broker.publish("dropped", "new".getBytes(UTF_8), HISTORY).position())
                .isEqualTo(new StreamPosition(1, before.epoch()));
    }

    /** Moves Redis's clock to {@code seconds} after the next UTC midnight (negative: before it). */
    private static void setSecondsAfterMidnight(long seconds) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        long nextMidnight = (now / DAY.toSeconds() + 1) * DAY.toSeconds();
        clock.set(Duration.ofSeconds(nextMidnight + seconds - now));
    }
}
