package dev.weft.core.docs;

import dev.weft.core.control.Cluster;
import dev.weft.core.control.ControlMessage;
import dev.weft.core.control.LocalControlNetwork;
import dev.weft.core.control.NodeInfo;
import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.yjs.YUpdates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.weft.core.docs.YjsVectors.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on one control network sharing one store: what the rooms of one see of the other's. */
class DocumentRelayTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LocalControlNetwork network = new LocalControlNetwork();
    private final MemoryDocumentStore store = new MemoryDocumentStore();
    private final List<AutoCloseable> open = new ArrayList<>();

    private final class TestNode {
        final Cluster cluster;
        final DocumentRooms rooms;

        TestNode(String id) {
            cluster = new Cluster(id, network.newBus(), new Cluster.Handler() {
                @Override
                public NodeInfo describe() {
                    return new NodeInfo(id, id, "test", 0, 0, 0, 0, 0);
                }

                @Override
                public int apply(ControlMessage control) {
                    return 0;
                }

                @Override
                public void revoked(ControlMessage revocation) {
                }

                @Override
                public String emulate(ControlMessage emulation) {
                    return "UNKNOWN_NODE";
                }

                @Override
                public void nodeGone(String nodeId) {
                }
            }, timer, executor);
            rooms = new DocumentRooms(store, DocumentLimits.DEFAULT, executor, timer);
            DocumentRelay.start(rooms, listener -> cluster.attach(DocumentRelay.KIND, listener));
            open.add(rooms);
            open.add(cluster);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        timer.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void anUpdateStoredOnOneNodeReachesThePeersOfTheOtherWithoutBeingStoredAgain() throws Exception {
        TestNode nodeA = new TestNode("a");
        TestNode nodeB = new TestNode("b");
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = nodeA.rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        DocumentSession sb = nodeB.rooms.join("doc", b, DocumentAccess.READ_WRITE, true);

        sa.update(update(0));
        sb.update(update(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> b.updates().size() == 1 && a.updates().size() == 1);
        assertThat(b.updates()).containsExactly(update(0));
        assertThat(a.updates()).containsExactly(update(1));
        assertThat(store.load("doc").updates()).as("each stored once, by the node its peer is on")
                .containsExactly(update(0), update(1));
        assertThat(nodeA.rooms.document("doc")).isEqualTo(nodeB.rooms.document("doc"));
    }

    @Test
    void aNodeWithoutTheRoomLoadedIgnoresItsUpdates() throws Exception {
        TestNode nodeA = new TestNode("a");
        TestNode nodeB = new TestNode("b");
        DocumentSession sa = nodeA.rooms.join("doc", new RecordingPeer("a"), DocumentAccess.READ_WRITE, true);

        sa.update(update(0));

        assertThat(nodeB.rooms.loaded()).isEmpty();
        RecordingPeer late = new RecordingPeer("late");
        nodeB.rooms.join("doc", late, DocumentAccess.READ_WRITE, false);
        assertThat(nodeB.rooms.document("doc")).as("loaded from the shared store").isEqualTo(update(0));
    }

    @Test
    void awarenessCrossesNodesAndGoesWhenItsNodeGoes() {
        TestNode nodeA = new TestNode("a");
        TestNode nodeB = new TestNode("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> !nodeB.cluster.otherNodes().isEmpty());
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = nodeA.rooms.join("doc", a, DocumentAccess.READ_WRITE, false);
        nodeB.rooms.join("doc", b, DocumentAccess.READ_WRITE, false);
        byte[] cursor = AwarenessStates.encode(List.of(new AwarenessStates.Entry(7, 1, "{\"cursor\":3}")));

        sa.awareness(cursor);

        await().atMost(Duration.ofSeconds(5)).until(() -> b.awareness().size() == 1);
        assertThat(b.awareness()).containsExactly(cursor);
        RecordingPeer joiner = new RecordingPeer("joiner");
        nodeB.rooms.join("doc", joiner, DocumentAccess.READ_WRITE, false);
        assertThat(joiner.awareness()).as("a joiner on the other node is sent the state").containsExactly(cursor);

        nodeA.cluster.close(); // its goodbye: the others forget it at once

        byte[] removal = AwarenessStates.encode(List.of(new AwarenessStates.Entry(7, 2, "null")));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.awareness().size() == 2);
        assertThat(b.awareness().get(1)).isEqualTo(removal);
        assertThat(joiner.awareness()).last().isEqualTo(removal);
    }

    @Test
    void aRelayedUpdateIsNotRelayedAgain() throws Exception {
        TestNode nodeA = new TestNode("a");
        TestNode nodeB = new TestNode("b");
        TestNode nodeC = new TestNode("c");
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        RecordingPeer c = new RecordingPeer("c");
        DocumentSession sa = nodeA.rooms.join("doc", a, DocumentAccess.READ_WRITE, false);
        nodeB.rooms.join("doc", b, DocumentAccess.READ_WRITE, false);
        nodeC.rooms.join("doc", c, DocumentAccess.READ_WRITE, false);

        sa.update(update(0));

        await().atMost(Duration.ofSeconds(5)).until(() -> b.updates().size() == 1 && c.updates().size() == 1);
        Thread.sleep(300); // what a loop would send back meanwhile
        assertThat(a.updates()).isEmpty();
        assertThat(b.updates()).hasSize(1);
        assertThat(c.updates()).hasSize(1);
    }

    @Test
    void anUpdateWhoseRelayWasLostIsReadFromTheStoreOnceTheGapShows() throws Exception {
        TestNode nodeA = new TestNode("a");
        TestNode nodeB = new TestNode("b");
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = nodeA.rooms.join("doc", a, DocumentAccess.READ_WRITE, false);
        nodeB.rooms.join("doc", b, DocumentAccess.READ_WRITE, false);
        store.append("doc", update(0)); // stored by a third node whose relay never arrived

        sa.update(update(1));

        byte[] whole = YUpdates.merge(List.of(update(0), update(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.updates().size() >= 2);
        assertThat(YUpdates.stateVector(YUpdates.merge(b.updates()))).isEqualTo(YUpdates.stateVector(whole));
        assertThat(nodeB.rooms.document("doc")).isEqualTo(whole);
    }
}
