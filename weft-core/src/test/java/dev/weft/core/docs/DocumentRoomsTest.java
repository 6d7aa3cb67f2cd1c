package dev.weft.core.docs;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.yjs.YUpdates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.weft.core.docs.DocumentPeer.UpdateResult.APPLIED;
import static dev.weft.core.docs.DocumentPeer.UpdateResult.NOTHING_NEW;
import static dev.weft.core.docs.DocumentPeer.UpdateResult.REJECTED_READ_ONLY;
import static dev.weft.core.docs.YjsVectors.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DocumentRoomsTest {
    private static final byte[] EMPTY_STATE_VECTOR = {0};

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MemoryDocumentStore store = new MemoryDocumentStore();
    private DocumentRooms rooms = rooms(DocumentLimits.DEFAULT);

    private DocumentRooms rooms(DocumentLimits limits) {
        return rooms(limits, store);
    }

    private DocumentRooms rooms(DocumentLimits limits, DocumentStore with) {
        return new DocumentRooms(with, limits, executor, timer);
    }

    @AfterEach
    void tearDown() {
        rooms.close();
        timer.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void joinerGetsTheStateVectorFirstWhenItAsks() {
        RecordingPeer ywebsocket = new RecordingPeer("a");
        RecordingPeer hocuspocus = new RecordingPeer("b");
        rooms.join("doc", ywebsocket, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", hocuspocus, DocumentAccess.READ_WRITE, false);

        assertThat(ywebsocket.stateVectors()).containsExactly(EMPTY_STATE_VECTOR);
        assertThat(hocuspocus.stateVectors()).isEmpty();
    }

    @Test
    void updateIsStoredThenRelayedToTheOthersAndAcknowledged() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", b, DocumentAccess.READ_WRITE, true);

        sa.update(update(0));

        assertThat(store.load("doc").updates()).containsExactly(update(0));
        assertThat(b.updates()).containsExactly(update(0));
        assertThat(a.updates()).isEmpty();
        assertThat(a.results()).containsExactly(APPLIED);
    }

    @Test
    void syncStep1IsAnsweredWithWhatThePeerLacks() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        sa.update(update(0));
        sa.update(update(1));
        sa.update(update(2));

        RecordingPeer late = new RecordingPeer("late");
        DocumentSession sl = rooms.join("doc", late, DocumentAccess.READ_WRITE, true);
        sl.syncStep1(EMPTY_STATE_VECTOR);
        sl.syncStep1(YjsVectors.stateAfter3());

        assertThat(late.stateVectors()).containsExactly(YjsVectors.stateAfter3());
        assertThat(late.syncAnswers()).hasSize(2);
        assertThat(YUpdates.stateVector(late.syncAnswers().get(0))).isEqualTo(YjsVectors.stateAfter3());
        assertThat(YUpdates.stateVector(late.syncAnswers().get(1))).isEqualTo(EMPTY_STATE_VECTOR);
    }

    @Test
    void readOnlyPeersChangesAreDroppedButItsKnownStateIsAcknowledged() throws Exception {
        RecordingPeer writer = new RecordingPeer("writer");
        RecordingPeer reader = new RecordingPeer("reader");
        DocumentSession sw = rooms.join("doc", writer, DocumentAccess.READ_WRITE, true);
        DocumentSession sr = rooms.join("doc", reader, DocumentAccess.READ_ONLY, true);
        sw.update(update(0));

        sr.update(update(1));   // a change: refused
        sr.update(update(0));   // what the room already has (a sync reply): fine

        assertThat(reader.results()).containsExactly(REJECTED_READ_ONLY, NOTHING_NEW);
        assertThat(writer.updates()).isEmpty();
        assertThat(store.load("doc").updates()).containsExactly(update(0));
        assertThat(reader.closedWith()).isNull();
    }

    @Test
    void malformedUpdateClosesOnlyItsSender() throws Exception {
        RecordingPeer bad = new RecordingPeer("bad");
        RecordingPeer good = new RecordingPeer("good");
        DocumentSession sb = rooms.join("doc", bad, DocumentAccess.READ_WRITE, true);
        DocumentSession sg = rooms.join("doc", good, DocumentAccess.READ_WRITE, true);

        sb.update(new byte[]{1, 1, (byte) 0xff});
        sg.update(update(0));

        assertThat(bad.closedWith()).isEqualTo(DocumentError.MALFORMED);
        assertThat(bad.updates()).isEmpty();
        assertThat(good.closedWith()).isNull();
        assertThat(good.results()).containsExactly(APPLIED);
        assertThat(store.load("doc").updates()).containsExactly(update(0));
    }

    @Test
    void updateAndDocumentSizeLimitsCloseTheSender() throws Exception {
        rooms = rooms(new DocumentLimits(1000, 100_000, Duration.ofSeconds(30), 500, 0, 0));
        RecordingPeer big = new RecordingPeer("big");
        rooms.join("doc", big, DocumentAccess.READ_WRITE, true).update(update(3));
        assertThat(big.closedWith()).isEqualTo(DocumentError.UPDATE_TOO_LARGE);

        rooms = rooms(new DocumentLimits(10_000, 20, Duration.ofSeconds(30), 500, 0, 0));
        RecordingPeer filler = new RecordingPeer("filler");
        DocumentSession sf = rooms.join("doc2", filler, DocumentAccess.READ_WRITE, true);
        sf.update(update(0));
        sf.update(update(1));
        assertThat(filler.results()).containsExactly(APPLIED);
        assertThat(filler.closedWith()).isEqualTo(DocumentError.DOCUMENT_TOO_LARGE);
        assertThat(store.load("doc2").updates()).containsExactly(update(0));
        assertThat(store.load("doc").updates()).isEmpty();
    }

    @Test
    void awarenessIsRelayedRememberedAndRemovedWhenItsOwnerLeaves() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_ONLY, true);
        DocumentSession sb = rooms.join("doc", b, DocumentAccess.READ_WRITE, true);
        byte[] cursor = AwarenessStates.encode(List.of(new AwarenessStates.Entry(7, 1, "{\"name\":\"ann\"}")));
        sa.awareness(cursor);
        sa.awareness(cursor); // not newer: not relayed again

        assertThat(b.awareness()).containsExactly(cursor);
        RecordingPeer c = new RecordingPeer("c");
        DocumentSession sc = rooms.join("doc", c, DocumentAccess.READ_WRITE, true);
        assertThat(c.awareness()).containsExactly(cursor);

        sa.leave();
        byte[] removal = AwarenessStates.encode(List.of(new AwarenessStates.Entry(7, 2, "null")));
        assertThat(b.awareness()).last().isEqualTo(removal);
        assertThat(c.awareness()).last().isEqualTo(removal);

        sc.queryAwareness();
        assertThat(c.awareness()).hasSize(2); // nothing present any more: no answer
        sb.leave();
    }

    @Test
    void malformedAwarenessClosesItsSender() {
        RecordingPeer a = new RecordingPeer("a");
        rooms.join("doc", a, DocumentAccess.READ_WRITE, true).awareness(new byte[]{5, 1});
        assertThat(a.closedWith()).isEqualTo(DocumentError.MALFORMED);
    }

    @Test
    void slowPeerIsDroppedOthersGoOn() {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer slow = new RecordingPeer("slow");
        RecordingPeer c = new RecordingPeer("c");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", slow, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", c, DocumentAccess.READ_WRITE, true);
        slow.refuseWrites();

        sa.update(update(0));
        sa.update(update(1));

        assertThat(slow.closedWith()).isEqualTo(DocumentError.SLOW);
        assertThat(c.updates()).containsExactly(update(0), update(1));
    }

    @Test
    void idleRoomIsCompactedAndUnloadedAfterTheGracePeriod() throws Exception {
        rooms = rooms(new DocumentLimits(1 << 20, 1 << 24, Duration.ofMillis(50), 500, 0, 0));
        RecordingPeer a = new RecordingPeer("a");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        sa.update(update(0));
        sa.update(update(1));
        sa.update(update(2));
        assertThat(store.load("doc").updates()).hasSize(3);

        sa.leave();

        await().until(() -> rooms.loaded().isEmpty());
        List<byte[]> stored = store.load("doc").updates();
        assertThat(stored).hasSize(1);
        assertThat(YUpdates.stateVector(stored.getFirst())).isEqualTo(YjsVectors.stateAfter3());
    }

    @Test
    void roomStaysLoadedWhileAnyoneIsThere() {
        rooms = rooms(new DocumentLimits(1 << 20, 1 << 24, Duration.ZERO, 500, 0, 0));
        DocumentSession first = rooms.join("doc", new RecordingPeer("a"), DocumentAccess.READ_WRITE, true);
        DocumentSession second = rooms.join("doc", new RecordingPeer("b"), DocumentAccess.READ_WRITE, true);
        first.leave();
        first.leave(); // idempotent: must not release the second peer's hold
        assertThat(rooms.loaded()).containsExactly("doc");
        second.leave();
        await().until(() -> rooms.loaded().isEmpty());
    }

    @Test
    void compactsInTheBackgroundAfterEnoughUpdates() throws Exception {
        rooms = rooms(new DocumentLimits(1 << 20, 1 << 24, Duration.ofSeconds(30), 3, 0, 0));
        RecordingPeer a = new RecordingPeer("a");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        sa.update(update(0));
        sa.update(update(1));
        sa.update(update(2));
        sa.queryAwareness(); // a task after the compaction: it has run
        assertThat(store.load("doc").updates()).hasSize(1);
        sa.update(update(3));
        assertThat(store.load("doc").updates()).hasSize(2);
        assertThat(YUpdates.stateVector(rooms.document("doc"))).isEqualTo(YjsVectors.stateAfter4());
    }

    @Test
    void everyDocumentIsBackAfterARestart() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        DocumentSession sa = rooms.join("notes/1", a, DocumentAccess.READ_WRITE, true);
        for (int i = 0; i < 4; i++) {
            sa.update(update(i));
        }
        rooms.close();
        assertThat(a.closedWith()).isEqualTo(DocumentError.SHUTDOWN);

        rooms = rooms(DocumentLimits.DEFAULT);
        RecordingPeer b = new RecordingPeer("b");
        rooms.join("notes/1", b, DocumentAccess.READ_WRITE, true);
        assertThat(b.stateVectors()).containsExactly(YjsVectors.stateAfter4());
        assertThat(YUpdates.stateVector(rooms.document("notes/1"))).isEqualTo(YjsVectors.stateAfter4());
    }

    @Test
    void serverUpdateReachesEveryPeerAndBadOnesAreRefused() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        rooms.join("doc", a, DocumentAccess.READ_ONLY, true);

        rooms.apply("doc", update(0));

        assertThat(a.updates()).containsExactly(update(0));
        assertThat(rooms.stateVector("doc")).isEqualTo(YjsVectors.stateAfterFirst());
        assertThatThrownBy(() -> rooms.apply("doc", new byte[]{9}))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.error()).isEqualTo(DocumentError.MALFORMED));
    }

    @Test
    void storeFailureClosesThePeerAndNothingIsRelayed() throws Exception {
        DocumentStore failing = new FailingAppends(store);
        rooms = rooms(DocumentLimits.DEFAULT, failing);
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", b, DocumentAccess.READ_WRITE, true);

        sa.update(update(0));

        assertThat(a.closedWith()).isEqualTo(DocumentError.STORE_FAILED);
        assertThat(a.results()).isEmpty();
        assertThat(b.updates()).isEmpty();
        assertThat(b.closedWith()).isNull();
    }

    @Test
    void joinAfterCloseIsRefused() {
        rooms.close();
        RecordingPeer late = new RecordingPeer("late");
        DocumentSession s = rooms.join("doc", late, DocumentAccess.READ_WRITE, true);
        s.update(update(0));
        assertThat(late.closedWith()).isEqualTo(DocumentError.SHUTDOWN);
    }

    /** A store whose disk fails on every append (the rest works). */
    private record FailingAppends(DocumentStore delegate) implements DocumentStore {
        @Override
        public StoredDocument load(String document) throws DocumentStoreException {
            return delegate.load(document);
        }

        @Override
        public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
            throw new DocumentStoreException("disk full");
        }

        @Override
        public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
            delegate.compact(document, upToSequence, merged);
        }

        @Override
        public void delete(String document) throws DocumentStoreException {
            delegate.delete(document);
        }

        @Override
        public List<String> documents() throws DocumentStoreException {
            return delegate.documents();
        }

        @Override
        public java.util.Map<String, Long> storedSizes() throws DocumentStoreException {
            return delegate.storedSizes();
        }

        @Override
        public void check() throws DocumentStoreException {
            delegate.check();
        }

        @Override
        public void close() {
        }
    }
}
