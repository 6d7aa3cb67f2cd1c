package dev.weft.core.presence;

import dev.weft.core.broker.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The presence contract for {@link MemoryPresenceManager}, plus tests that move time. */
class MemoryPresenceManagerTest extends PresenceManagerContractTest {

    private final MutableClock clock = new MutableClock();
    /** A presence manager on {@link #clock}, for tests that move time. */
    private MemoryPresenceManager memory;

    @Override
    protected PresenceManager newPresenceManager() {
        return new MemoryPresenceManager();
    }

    @BeforeEach
    void openMemoryPresence() {
        memory = new MemoryPresenceManager(clock);
    }

    @AfterEach
    void closeMemoryPresence() {
        memory.close();
    }

    @Test
    void refreshExtendsTheTtlFromTheLastRefresh() {
        String ch = channel("refresh");
        memory.addPresence(ch, "c1", info("alice", "c1"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        memory.addPresence(ch, "c1", info("alice", "c1"), Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(8));
        assertThat(memory.presence(ch)).containsOnlyKeys("c1");

        clock.advance(Duration.ofSeconds(2));
        assertThat(memory.presence(ch)).isEmpty();
    }

    @Test
    void expiredEntriesAreNotCounted() {
        String ch = channel("stats");
        memory.addPresence(ch, "c1", info("alice", "c1"), Duration.ofSeconds(10));
        memory.addPresence(ch, "c2", info("bob", "c2"), Duration.ofSeconds(30));
        memory.addPresence(ch, "c3", info("bob", "c3"), Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(10));

        assertThat(memory.presenceStats(ch)).isEqualTo(new PresenceStats(2, 1));
        assertThat(memory.presence(ch)).containsOnlyKeys("c2", "c3");
    }

    @Test
    void sweepDropsExpiredEntriesAndForgetsEmptyChannels() {
        for (int i = 0; i < 20; i++) {
            memory.addPresence(channel("short-" + i), "c", info("u", "c"), Duration.ofSeconds(10));
        }
        memory.addPresence(channel("long"), "c", info("u", "c"), Duration.ofMinutes(10));
        memory.addPresence(channel("mixed"), "gone", info("u", "gone"), Duration.ofSeconds(10));
        memory.addPresence(channel("mixed"), "stays", info("u", "stays"), Duration.ofMinutes(10));
        assertThat(memory.channelCount()).isEqualTo(22);

        clock.advance(Duration.ofSeconds(11));
        memory.sweep();

        assertThat(memory.channelCount()).isEqualTo(2);
        assertThat(memory.presence(channel("mixed"))).containsOnlyKeys("stays");
    }

    @Test
    void removingTheLastClientForgetsTheChannel() {
        String ch = channel("last");
        memory.addPresence(ch, "c1", info("alice", "c1"), Duration.ofMinutes(1));

        memory.removePresence(ch, "c1");

        assertThat(memory.channelCount()).isZero();
    }

    @Test
    void sweepRunsPeriodicallyOnItsOwn() {
        memory.addPresence(channel("auto"), "c1", info("alice", "c1"), Duration.ofSeconds(10));

        clock.advance(Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> memory.channelCount() == 0);
    }

    @Test
    void nonPositiveTtlIsRejected() {
        String ch = channel("ttl");

        assertThatThrownBy(() -> memory.addPresence(ch, "c1", info("a", "c1"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.addPresence(ch, "c1", info("a", "c1"), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(memory.presence(ch)).isEmpty();
    }
}
