package dev.weft.core.docs;

import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.yjs.YUpdates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.weft.core.docs.YjsVectors.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What bounds the rooms: loaded bytes per node, stored bytes per namespace, quarantine of damaged documents. */
class DocumentRoomBoundsTest {
    private static final byte[] GARBAGE = {7, 7, 7, (byte) 0xff, (byte) 0xff};
    /** The 3000-character map value: the one big document of the test vectors. */
    private static final byte[] BIG = update(3);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MemoryDocumentStore store = new MemoryDocumentStore();
    private DocumentRooms rooms;

    private DocumentRooms rooms(DocumentLimits limits) {
        return new DocumentRooms(store, limits, executor, timer, room -> room.substring(0, room.indexOf(':')));
    }

    @AfterEach
    void tearDown() {
        rooms.close();
        timer.shutdownNow();
        executor.shutdownNow();
    }

    private static DocumentLimits limits() {
        return DocumentLimits.DEFAULT.withUnloadGrace(Duration.ofHours(1)).withMaxLoadedSize(0);
    }

    private DocumentSession open(String name, RecordingPeer peer) {
        return rooms.join(name, peer, DocumentAccess.READ_WRITE, true);
    }

    @Test
    void idleRoomsAreUnloadedLeastRecentlyUsedFirstAndComeBackWhole() throws Exception {
        rooms = rooms(limits().withMaxLoadedSize(2L * BIG.length));
        for (String name : new String[]{"n:a", "n:b"}) {
            DocumentSession s = open(name, new RecordingPeer(name));
            s.update(BIG);
            s.leave();
        }
        long before = rooms.loadedBytes();

        open("n:c", new RecordingPeer("c"));

        System.out.printf("loaded bytes: %d before opening a third room (cap %d), %d after; loaded %s%n",
                before, 2L * BIG.length, rooms.loadedBytes(), rooms.loaded());
        assertThat(before).isGreaterThanOrEqualTo(2L * BIG.length);
        assertThat(rooms.loaded()).containsExactlyInAnyOrder("n:b", "n:c");
        RecordingPeer back = new RecordingPeer("back");
        open("n:a", back);
        assertThat(back.stateVectors()).containsExactly(YUpdates.stateVector(BIG));
        assertThat(back.closedWith()).isNull();
    }

    @Test
    void whenOnlyRoomsInUseAreLeftNewRoomsAreRefusedAsNodeBusy() {
        rooms = rooms(limits().withMaxLoadedSize(BIG.length));
        open("n:a", new RecordingPeer("a")).update(BIG);

        RecordingPeer late = new RecordingPeer("late");
        open("n:b", late);
        RecordingPeer same = new RecordingPeer("same");
        open("n:a", same);

        assertThat(late.closedWith()).isEqualTo(DocumentError.NODE_BUSY);
        assertThat(late.closeDetail()).contains("docs.max_loaded_size is " + BIG.length);
        assertThat(same.closedWith()).as("a loaded room still takes peers").isNull();
        assertThat(rooms.loaded()).containsExactly("n:a");
    }

    @Test
    void namespaceQuotaCountsWhatIsStoredAndRefusesWhatWouldPassIt() throws Exception {
        store.append("n:old", update(0)); // stored before the node started: counted
        rooms = rooms(limits().withMaxNamespaceSize(update(0).length + BIG.length));

        RecordingPeer writer = new RecordingPeer("writer");
        DocumentSession s = open("n:doc", writer);
        s.update(BIG);
        s.update(update(1));
        RecordingPeer other = new RecordingPeer("other");
        open("m:doc", other).update(update(1));

        assertThat(writer.results()).containsExactly(DocumentPeer.UpdateResult.APPLIED);
        assertThat(writer.closedWith()).isEqualTo(DocumentError.NAMESPACE_QUOTA);
        assertThat(writer.closeDetail()).contains("namespace 'n'");
        assertThat(other.closedWith()).as("another namespace").isNull();
        assertThat(store.load("n:doc").updates()).containsExactly(BIG);

        rooms.delete("n:old"); // frees its bytes
        RecordingPeer again = new RecordingPeer("again");
        open("n:doc", again).update(update(1));
        assertThat(again.closedWith()).isNull();
        assertThat(again.results()).containsExactly(DocumentPeer.UpdateResult.APPLIED);
    }

    @Test
    void damagedDocumentIsQuarantinedNotReloadedAndClearedByDelete() throws Exception {
        store.append("n:bad", update(0));
        store.append("n:bad", GARBAGE);
        store.append("n:lone", GARBAGE); // as after a compaction: one stored update, and it is damaged
        rooms = rooms(limits());
        RecordingPeer lone = new RecordingPeer("lone");
        open("n:lone", lone);
        assertThat(lone.closedWith()).isEqualTo(DocumentError.QUARANTINED);

        for (int i = 0; i < 5; i++) {
            RecordingPeer peer = new RecordingPeer("p" + i);
            open("n:bad", peer).update(update(1));
            assertThat(peer.closedWith()).isEqualTo(DocumentError.QUARANTINED);
            assertThat(peer.closeDetail()).contains("do not decode");
        }
        assertThatThrownBy(() -> rooms.document("n:bad")).isInstanceOfSatisfying(DocumentRejectedException.class,
                e -> assertThat(e.error()).isEqualTo(DocumentError.QUARANTINED));
        assertThat(rooms.quarantined()).containsOnlyKeys("n:bad", "n:lone");
        assertThat(rooms.loaded()).isEmpty();
        assertThat(store.load("n:bad").updates()).hasSize(2); // kept for the operator to look at

        rooms.delete("n:bad");

        assertThat(rooms.quarantined()).containsOnlyKeys("n:lone");
        assertThat(store.documents()).doesNotContain("n:bad");
        RecordingPeer fresh = new RecordingPeer("fresh");
        open("n:bad", fresh).update(update(0));
        assertThat(fresh.closedWith()).isNull();
        assertThat(fresh.results()).containsExactly(DocumentPeer.UpdateResult.APPLIED);
    }

    @Test
    void deletingAnOpenDocumentIsRefused() {
        rooms = rooms(limits());
        open("n:open", new RecordingPeer("a"));
        assertThatThrownBy(() -> rooms.delete("n:open")).isInstanceOfSatisfying(DocumentRejectedException.class,
                e -> assertThat(e.error()).isEqualTo(DocumentError.FORBIDDEN));
    }
}
