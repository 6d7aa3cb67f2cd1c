package dev.weft.core.docs;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.yjs.YUpdates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static dev.weft.core.docs.DocumentPeer.UpdateResult.APPLIED;
import static dev.weft.core.docs.TextUpdates.keystroke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a room stores updates in batches: every update waiting when the room gets to them goes to the store in
 * one {@link DocumentStore#appendAll}, whoever sent it; a refused update (limits, namespace quota, checked per
 * update in order) costs only its sender; a failed batch fails each of its senders (a full disk: store full),
 * relays nothing, gives its bytes back to the quota and is reported to the store's health. The interleavings are forced with a store that holds its first
 * append until the test lets it go (the "fsync" during which the next batch gathers).
 */
class DocumentRoomBatchTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final GatedStore store = new GatedStore();
    private final DocumentRooms rooms = new DocumentRooms(store, DocumentLimits.DEFAULT, executor, timer);
    /** Rooms over the same store with a namespace quota (every document in namespace ""), for the tests that need one. */
    private DocumentRooms quotaRooms;

    private DocumentRooms quotaRooms(long maxNamespaceSize) {
        quotaRooms = new DocumentRooms(store, DocumentLimits.DEFAULT.withMaxNamespaceSize(maxNamespaceSize), executor,
                timer);
        return quotaRooms;
    }

    @AfterEach
    void tearDown() {
        store.open.countDown();
        if (quotaRooms != null) {
            quotaRooms.close();
        }
        rooms.close();
        timer.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void updatesThatArriveWhileABatchIsBeingStoredGoTogetherInTheNext() throws Exception {
        RecordingPeer reader = new RecordingPeer("reader");
        rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        List<RecordingPeer> writers = IntStream.range(0, 4).mapToObj(i -> new RecordingPeer("w" + i)).toList();
        List<DocumentSession> sessions = writers.stream()
                .map(w -> rooms.join("doc", w, DocumentAccess.READ_WRITE, true)).toList();
        store.holdNext();

        Thread first = submit(sessions.get(0), List.of(keystroke(1, 0)));
        store.entered.await(); // the first batch is in the store, holding the room
        List<Thread> waiting = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            waiting.add(submit(sessions.get(i), List.of(keystroke(10 + i, 0), keystroke(10 + i, 1))));
        }
        for (Thread t : waiting) {
            await().until(() -> t.getState() == Thread.State.WAITING); // queued, waiting for its batch
        }
        store.open.countDown();
        first.join();
        for (Thread t : waiting) {
            t.join();
        }

        System.out.println("batch sizes (updates per appendAll): " + store.batches);
        assertThat(store.batches).containsExactly(1, 6);
        assertThat(reader.updates()).hasSize(7);
        assertThat(writers.get(0).results()).containsExactly(APPLIED);
        writers.subList(1, 4).forEach(w -> assertThat(w.results()).containsExactly(APPLIED, APPLIED));
        // Each writer gets the others' updates, never its own.
        assertThat(writers.get(1).updates()).hasSize(5).doesNotContain(keystroke(11, 0), keystroke(11, 1));
        assertThat(store.load("doc").updates()).hasSize(7);
    }

    @Test
    void aPeersUpdatesInARowAreOneBatchRelayedInOrder() throws Exception {
        RecordingPeer writer = new RecordingPeer("writer");
        RecordingPeer reader = new RecordingPeer("reader");
        DocumentSession session = rooms.join("doc", writer, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        List<byte[]> keystrokes = IntStream.range(0, 50).mapToObj(i -> keystroke(7, i)).toList();

        session.updates(keystrokes);

        assertThat(store.batches).containsExactly(50);
        assertThat(reader.updates()).containsExactlyElementsOf(keystrokes);
        assertThat(writer.results()).hasSize(50).containsOnly(APPLIED);
        assertThat(YUpdates.merge(store.load("doc").updates())).isEqualTo(YUpdates.merge(keystrokes));
    }

    @Test
    void aRefusedUpdateEndsOnlyItsSenderAndWhatWentBeforeItIsStored() throws Exception {
        RecordingPeer bad = new RecordingPeer("bad");
        RecordingPeer good = new RecordingPeer("good");
        DocumentSession badSession = rooms.join("doc", bad, DocumentAccess.READ_WRITE, true);
        DocumentSession goodSession = rooms.join("doc", good, DocumentAccess.READ_WRITE, true);
        store.holdNext();
        Thread first = submit(goodSession, List.of(keystroke(2, 0)));
        store.entered.await();

        Thread badOne = submit(badSession, List.of(keystroke(1, 0), new byte[]{1, 1, 9}, keystroke(1, 1)));
        await().until(() -> badOne.getState() == Thread.State.WAITING);
        Thread goodOne = submit(goodSession, List.of(keystroke(2, 1)));
        await().until(() -> goodOne.getState() == Thread.State.WAITING);
        store.open.countDown();
        first.join();
        badOne.join();
        goodOne.join();

        assertThat(bad.closedWith()).isEqualTo(DocumentError.MALFORMED);
        assertThat(store.batches).containsExactly(1, 2);
        assertThat(store.load("doc").updates()).containsExactly(keystroke(2, 0), keystroke(1, 0), keystroke(2, 1));
        assertThat(good.results()).containsExactly(APPLIED, APPLIED);
        assertThat(good.updates()).containsExactly(keystroke(1, 0));
    }

    @Test
    void aBatchTheStoreRefusesEndsEachSenderAndIsNotRelayed() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        RecordingPeer reader = new RecordingPeer("reader");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        DocumentSession sb = rooms.join("doc", b, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        store.holdNext();
        Thread first = submit(sa, List.of(keystroke(1, 0)));
        store.entered.await();
        store.failNext = true;

        Thread fromA = submit(sa, List.of(keystroke(1, 1)));
        await().until(() -> fromA.getState() == Thread.State.WAITING);
        Thread fromB = submit(sb, List.of(keystroke(2, 0)));
        await().until(() -> fromB.getState() == Thread.State.WAITING);
        store.open.countDown();
        first.join();
        fromA.join();
        fromB.join();

        assertThat(a.closedWith()).isEqualTo(DocumentError.STORE_FAILED);
        assertThat(b.closedWith()).isEqualTo(DocumentError.STORE_FAILED);
        assertThat(reader.updates()).containsExactly(keystroke(1, 0));
        assertThat(reader.closedWith()).isNull();
        assertThat(store.load("doc").updates()).containsExactly(keystroke(1, 0));
    }

    @Test
    void eachUpdateOfABatchIsCheckedAgainstTheNamespaceQuotaInOrder() throws Exception {
        byte[] first = keystroke(1, 0);
        byte[] fromA = keystroke(1, 1);
        byte[] fits = keystroke(3, 0);
        byte[] passes = keystroke(3, 1);
        DocumentRooms rooms = quotaRooms(first.length + fromA.length + fits.length);
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer c = new RecordingPeer("c");
        RecordingPeer reader = new RecordingPeer("reader");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        DocumentSession sc = rooms.join("doc", c, DocumentAccess.READ_WRITE, true);
        rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        store.holdNext();
        Thread firstOne = submit(sa, List.of(first));
        store.entered.await();

        Thread aOne = submit(sa, List.of(fromA));
        await().until(() -> aOne.getState() == Thread.State.WAITING);
        Thread cTwo = submit(sc, List.of(fits, passes));
        await().until(() -> cTwo.getState() == Thread.State.WAITING);
        long loadedBefore = rooms.loadedBytes(); // the first batch is not stored yet
        store.open.countDown();
        firstOne.join();
        aOne.join();
        cTwo.join();

        System.out.printf("namespace quota %d bytes: %d used after the batch; loaded bytes %d -> %d%n",
                rooms.namespaces().max(), rooms.namespaces().used("doc"), loadedBefore, rooms.loadedBytes());
        assertThat(c.closedWith()).isEqualTo(DocumentError.NAMESPACE_QUOTA);
        assertThat(c.closeDetail()).contains("docs.max_namespace_size");
        assertThat(a.closedWith()).isNull();
        assertThat(a.results()).containsExactly(APPLIED, APPLIED);
        assertThat(store.batches).containsExactly(1, 2);
        assertThat(store.load("doc").updates()).containsExactly(first, fromA, fits);
        assertThat(reader.updates()).containsExactly(first, fromA, fits);
        assertThat(rooms.namespaces().used("doc")).isEqualTo(rooms.namespaces().max());
        assertThat(rooms.loadedBytes()).isEqualTo(loadedBefore + first.length + fromA.length + fits.length);
    }

    @Test
    void aBatchTheDiskCannotHoldEndsEachSenderAsStoreFullGivesItsQuotaBackAndIsReported() throws Exception {
        byte[] first = keystroke(1, 0);
        DocumentRooms rooms = quotaRooms(1024);
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        RecordingPeer reader = new RecordingPeer("reader");
        DocumentSession sa = rooms.join("doc", a, DocumentAccess.READ_WRITE, true);
        DocumentSession sb = rooms.join("doc", b, DocumentAccess.READ_WRITE, true);
        DocumentSession sr = rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        store.holdNext();
        Thread firstOne = submit(sa, List.of(first));
        store.entered.await();
        store.diskFull = true;
        store.failNext = true;

        Thread fromA = submit(sa, List.of(keystroke(1, 1)));
        await().until(() -> fromA.getState() == Thread.State.WAITING);
        Thread fromB = submit(sb, List.of(keystroke(2, 0), keystroke(2, 1)));
        await().until(() -> fromB.getState() == Thread.State.WAITING);
        long loadedBefore = rooms.loadedBytes(); // the first batch is not stored yet
        store.open.countDown();
        firstOne.join();
        fromA.join();
        fromB.join();

        assertThat(a.closedWith()).isEqualTo(DocumentError.STORE_FULL);
        assertThat(b.closedWith()).isEqualTo(DocumentError.STORE_FULL);
        assertThat(reader.closedWith()).isNull();
        assertThat(reader.updates()).containsExactly(first);
        assertThat(rooms.health().problem()).startsWith("disk full");
        assertThat(rooms.namespaces().used("doc")).as("the failed batch's bytes are given back")
                .isEqualTo(first.length);
        assertThat(rooms.loadedBytes()).as("only the first batch is loaded").isEqualTo(loadedBefore + first.length);

        byte[] later = keystroke(4, 0);
        sr.updates(List.of(later));

        assertThat(reader.results()).containsExactly(APPLIED);
        assertThat(rooms.health().problem()).as("a stored batch clears the failure").isNull();
        assertThat(rooms.namespaces().used("doc")).isEqualTo(first.length + later.length);
        assertThat(store.load("doc").updates()).containsExactly(first, later);
    }

    @Test
    void manyWritersAtOnceLoseNothingAndShareBatches() throws Exception {
        int writers = 20;
        int perWriter = 100;
        RecordingPeer reader = new RecordingPeer("reader");
        rooms.join("doc", reader, DocumentAccess.READ_WRITE, true);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            DocumentSession session = rooms.join("doc", new RecordingPeer("w" + w), DocumentAccess.READ_WRITE, true);
            long client = 100 + w;
            threads.add(Thread.ofVirtual().unstarted(() -> {
                for (int i = 0; i < perWriter; i++) {
                    session.update(keystroke(client, i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        IntSummaryStatistics sizes = store.batches.stream().mapToInt(Integer::intValue).summaryStatistics();
        System.out.printf("%d writers x %d updates, one at a time each: %d appendAll calls, batch size avg %.1f max %d%n",
                writers, perWriter, sizes.getCount(), sizes.getAverage(), sizes.getMax());
        assertThat(sizes.getSum()).isEqualTo((long) writers * perWriter);
        assertThat(reader.updates()).hasSize(writers * perWriter);
        List<byte[]> all = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < perWriter; i++) {
                all.add(keystroke(100 + w, i));
            }
        }
        assertThat(rooms.stateVector("doc")).isEqualTo(YUpdates.stateVector(YUpdates.merge(all)));
        assertThat(YUpdates.stateVector(YUpdates.merge(store.load("doc").updates())))
                .isEqualTo(rooms.stateVector("doc"));
    }

    private static Thread submit(DocumentSession session, List<byte[]> updates) {
        return Thread.ofPlatform().daemon().start(() -> session.updates(updates));
    }

    /** A memory store that records batch sizes and can hold one append (or fail the next) on the test's word. */
    private static final class GatedStore implements DocumentStore {
        private final MemoryDocumentStore delegate = new MemoryDocumentStore();
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private volatile boolean hold;
        volatile boolean failNext;
        /** Whether the failure {@link #failNext} throws is a full disk. */
        volatile boolean diskFull;

        void holdNext() {
            hold = true;
        }

        @Override
        public StoredDocument load(String document) throws DocumentStoreException {
            return delegate.load(document);
        }

        @Override
        public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
            if (hold) {
                hold = false;
                entered.countDown();
                try {
                    open.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DocumentStoreException("interrupted");
                }
            } else if (failNext) {
                failNext = false;
                throw new DocumentStoreException("disk full", null, diskFull);
            }
            batches.add(updates.size());
            return delegate.appendAll(document, updates);
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
        public Map<String, Long> storedSizes() throws DocumentStoreException {
            return delegate.storedSizes();
        }

        @Override
        public void check() throws DocumentStoreException {
            delegate.check();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
