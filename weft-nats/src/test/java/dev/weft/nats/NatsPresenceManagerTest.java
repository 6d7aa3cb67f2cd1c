package dev.weft.nats;

import dev.weft.protocol.model.ClientInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.presence.PresenceManager;
import dev.weft.core.presence.PresenceManagerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The presence contract against a real NATS server's KV store. */
class NatsPresenceManagerTest extends PresenceManagerContractTest {

    private static SharedNats nats;

    @BeforeAll
    static void connect() {
        nats = new SharedNats();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        nats.close();
    }

    @Override
    protected PresenceManager newPresenceManager() {
        return nats.engine().presenceManager();
    }

    @Test
    void removingANodesPresenceDropsOnlyItsEntriesAndSaysWhichOnce() {
        PresenceManager onA = newPresenceManager();
        PresenceManager onB = newPresenceManager();
        String room = "ghosts-" + UUID.randomUUID();
        ClientInfo alice = new ClientInfo("alice", "c1", null, "{}".getBytes(StandardCharsets.UTF_8));
        ClientInfo bob = new ClientInfo("bob", "c2", null, null);
        onA.addPresence(room, "c1", alice, Duration.ofMinutes(1), "node-a");
        onA.addPresence(room + ".other", "c1", alice, Duration.ofMinutes(1), "node-a");
        onB.addPresence(room, "c2", bob, Duration.ofMinutes(1), "node-b");

        Map<String, List<ClientInfo>> removed = onB.removeNodePresence("node-a");

        assertThat(removed).containsOnlyKeys(room, room + ".other");
        assertThat(removed.get(room)).singleElement().satisfies(info -> {
            assertThat(info.client()).isEqualTo("c1");
            assertThat(info.chanInfo()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(onB.presence(room)).containsOnlyKeys("c2");
        assertThat(onB.presence(room + ".other")).isEmpty();
        assertThat(onA.removeNodePresence("node-a")).as("already removed").isEmpty();
    }
}
