package dev.weft.core.presence;

import dev.weft.protocol.model.ClientInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link PresenceManager} contract, run against every implementation: {@code MemoryPresenceManagerTest},
 * {@code RedisPresenceManagerTest}, … extend this class and supply {@link #newPresenceManager()}.
 *
 * <p>Works for implementations backed by a shared network service: channels get a random prefix per test,
 * and time is never faked — the expiry tests use a real one-second TTL and wait (at most a few seconds) for
 * it to pass. Tests that need to move time belong in the implementation's own test.
 */
public abstract class PresenceManagerContractTest {

    private static final Duration LONG_TTL = Duration.ofMinutes(10);
    private static final Duration SHORT_TTL = Duration.ofSeconds(1);

    /** The presence manager under test, fresh for each test and closed after it. */
    protected PresenceManager presence;
    private String prefix;

    /** A new presence manager. */
    protected abstract PresenceManager newPresenceManager();

    @BeforeEach
    void openPresenceManager() {
        prefix = "weft-test:" + UUID.randomUUID() + ":";
        presence = newPresenceManager();
    }

    @AfterEach
    void closePresenceManager() {
        if (presence != null) {
            presence.close();
        }
    }

    /**
     * Whether the manager is shared by nodes and records each entry's node, so that
     * {@link PresenceManager#removeNodePresence} drops a gone node's entries; managers living in one process
     * do not (their node never outlives them).
     */
    protected boolean recordsOwners() {
        return false;
    }

    /** A channel name unique to this test. */
    protected String channel(String name) {
        return prefix + name;
    }

    @Test
    void emptyChannelHasNoPresence() {
        String ch = channel("empty");

        assertThat(presence.presence(ch)).isEmpty();
        assertThat(presence.presenceStats(ch)).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void addedClientIsPresentWithItsInfo() {
        String ch = channel("add");
        presence.addPresence(ch, "c1", new ClientInfo("alice", "c1", bytes("{\"a\":1}"), bytes("{\"b\":2}")),
                LONG_TTL);

        Map<String, ClientInfo> present = presence.presence(ch);

        assertThat(present).containsOnlyKeys("c1");
        ClientInfo info = present.get("c1");
        assertThat(info.user()).isEqualTo("alice");
        assertThat(info.client()).isEqualTo("c1");
        assertThat(info.connInfo()).isEqualTo(bytes("{\"a\":1}"));
        assertThat(info.chanInfo()).isEqualTo(bytes("{\"b\":2}"));
    }

    @Test
    void removedClientIsGoneAndRemovingAnAbsentOneIsHarmless() {
        String ch = channel("remove");
        presence.addPresence(ch, "c1", info("alice", "c1"), LONG_TTL);
        presence.addPresence(ch, "c2", info("bob", "c2"), LONG_TTL);

        presence.removePresence(ch, "c1");
        presence.removePresence(ch, "never-added");
        presence.removePresence(channel("other"), "c2");

        assertThat(presence.presence(ch)).containsOnlyKeys("c2");
        presence.removePresence(ch, "c2");
        assertThat(presence.presence(ch)).isEmpty();
        assertThat(presence.presenceStats(ch)).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void addingTheSameClientAgainReplacesItsEntry() {
        String ch = channel("replace");
        presence.addPresence(ch, "c1", new ClientInfo("alice", "c1", bytes("old"), null), LONG_TTL);
        presence.addPresence(ch, "c1", new ClientInfo("alice", "c1", bytes("new"), null), LONG_TTL);

        assertThat(presence.presence(ch)).hasSize(1);
        assertThat(presence.presence(ch).get("c1").connInfo()).isEqualTo(bytes("new"));
        assertThat(presence.presenceStats(ch)).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void statsCountDistinctClientsAndDistinctUsersWithAnonymousAsOne() {
        String ch = channel("stats");
        presence.addPresence(ch, "c1", info("alice", "c1"), LONG_TTL);
        presence.addPresence(ch, "c2", info("alice", "c2"), LONG_TTL);
        presence.addPresence(ch, "c3", info("bob", "c3"), LONG_TTL);
        presence.addPresence(ch, "c4", info("", "c4"), LONG_TTL);
        presence.addPresence(ch, "c5", info("", "c5"), LONG_TTL);

        assertThat(presence.presenceStats(ch)).isEqualTo(new PresenceStats(5, 3));
    }

    @Test
    void channelsAreIsolated() {
        String a = channel("a");
        String b = channel("b");
        presence.addPresence(a, "c1", info("alice", "c1"), LONG_TTL);
        presence.addPresence(b, "c2", info("bob", "c2"), LONG_TTL);
        presence.addPresence(b, "c3", info("carol", "c3"), LONG_TTL);

        presence.removePresence(a, "c2");

        assertThat(presence.presence(a)).containsOnlyKeys("c1");
        assertThat(presence.presence(b)).containsOnlyKeys("c2", "c3");
        assertThat(presence.presenceStats(a)).isEqualTo(new PresenceStats(1, 1));
        assertThat(presence.presenceStats(b)).isEqualTo(new PresenceStats(2, 2));
    }

    @Test
    void entryNotRefreshedExpiresSoADeadNodeLeavesNoGhosts() {
        String ch = channel("ghost");
        presence.addPresence(ch, "ghost", info("gone", "ghost"), SHORT_TTL);
        presence.addPresence(ch, "alive", info("here", "alive"), LONG_TTL);

        await().atMost(Duration.ofSeconds(5)).until(() -> !presence.presence(ch).containsKey("ghost"));

        assertThat(presence.presence(ch)).containsOnlyKeys("alive");
        assertThat(presence.presenceStats(ch)).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void refreshWithALongerTtlOutlivesTheFirstOne() {
        String ch = channel("refresh");
        presence.addPresence(ch, "refreshed", info("alice", "refreshed"), SHORT_TTL);
        presence.addPresence(ch, "witness", info("bob", "witness"), SHORT_TTL);

        presence.addPresence(ch, "refreshed", info("alice", "refreshed"), LONG_TTL);

        await().atMost(Duration.ofSeconds(5)).until(() -> !presence.presence(ch).containsKey("witness"));
        assertThat(presence.presence(ch)).containsOnlyKeys("refreshed");
    }

    protected static ClientInfo info(String user, String client) {
        return new ClientInfo(user, client, null, null);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void removingANodesPresenceDropsOnlyItsEntriesAndSaysWhichOnce() {
        if (!recordsOwners()) {
            // An in-process manager never outlives its node: it keeps no owners and removes nothing.
            String room = channel("alone");
            presence.addPresence(room, "c1", info("alice", "c1"), LONG_TTL, "node-a");
            assertThat(presence.removeNodePresence("node-a")).isEmpty();
            assertThat(presence.presence(room)).containsOnlyKeys("c1");
            return;
        }
        PresenceManager other = newPresenceManager();
        try {
            String room = channel("ghosts");
            ClientInfo alice = new ClientInfo("alice", "c1", null, bytes("{}"));
            ClientInfo bob = new ClientInfo("bob", "c2", null, null);
            presence.addPresence(room, "c1", alice, LONG_TTL, "node-a");
            presence.addPresence(room + ".other", "c1", alice, LONG_TTL, "node-a");
            other.addPresence(room, "c2", bob, LONG_TTL, "node-b");
            presence.addPresence(room, "c3", alice, LONG_TTL, "node-a");
            presence.removePresence(room, "c3"); // gone before its node: no leave for it

            Map<String, java.util.List<ClientInfo>> removed = other.removeNodePresence("node-a");

            assertThat(removed).containsOnlyKeys(room, room + ".other");
            assertThat(removed.get(room)).singleElement().satisfies(info -> {
                assertThat(info.client()).isEqualTo("c1");
                assertThat(info.chanInfo()).isEqualTo(bytes("{}"));
            });
            assertThat(other.presence(room)).containsOnlyKeys("c2");
            assertThat(other.presence(room + ".other")).isEmpty();
            assertThat(presence.removeNodePresence("node-a")).as("already removed").isEmpty();
        } finally {
            other.close();
        }
    }
}
