package dev.weft.redis.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Jump consistent hash over the channel name: stable, even, and adding a server moves few channels. */
class ConsistentHashTest {

    @Test
    void oneServerTakesEverything() {
        assertThat(ConsistentHash.index("anything", 1)).isZero();
    }

    @Test
    void channelsSpreadEvenlyAndStayPut() {
        int[] counts = new int[4];
        for (int i = 0; i < 40_000; i++) {
            int index = ConsistentHash.index("channel-" + i, 4);
            assertThat(ConsistentHash.index("channel-" + i, 4)).isEqualTo(index);
            counts[index]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_000, 11_000);
        }
    }

    @Test
    void addingAServerMovesAboutItsShareAndOnlyToIt() {
        int moved = 0;
        for (int i = 0; i < 40_000; i++) {
            int before = ConsistentHash.index("channel-" + i, 4);
            int after = ConsistentHash.index("channel-" + i, 5);
            if (before != after) {
                assertThat(after).isEqualTo(4);
                moved++;
            }
        }
        assertThat(moved).isBetween(7_000, 9_000);
    }

    @Test
    void fnv1aMatchesTheReferenceVector() {
        assertThat(ConsistentHash.fnv1a("a".getBytes())).isEqualTo(0xaf63dc4c8601ec8cL);
    }
}
