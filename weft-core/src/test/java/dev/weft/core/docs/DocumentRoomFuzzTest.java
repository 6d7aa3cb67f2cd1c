package dev.weft.core.docs;

import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.yjs.YUpdates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken input through a real room: truncated, bit-flipped and length-inflated copies of real updates, and
 * random bytes, sent as updates, state vectors and awareness updates. Whatever happens to the sender, the room
 * goes on: a well-behaved peer's update is still stored and relayed, and the document still merges.
 */
class DocumentRoomFuzzTest {
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @AfterContainer
    static void stop() {
        TIMER.shutdownNow();
        EXECUTOR.shutdownNow();
    }

    enum Kind { UPDATE, STATE_VECTOR, AWARENESS }

    @Provide
    Arbitrary<byte[]> broken() {
        Arbitrary<byte[]> real = Arbitraries.integers().between(0, 3).map(YjsVectors::update);
        Arbitrary<byte[]> truncated = Combinators.combine(real, Arbitraries.doubles().between(0, 1))
                .as((u, f) -> Arrays.copyOf(u, (int) (u.length * f)));
        Arbitrary<byte[]> flipped = Combinators.combine(real, Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 7)).as((u, at, bit) -> {
                    byte[] copy = u.clone();
                    copy[at % copy.length] ^= (byte) (1 << bit);
                    return copy;
                });
        Arbitrary<byte[]> inflated = Combinators.combine(real, Arbitraries.integers().between(0, 1 << 20))
                .as((u, at) -> {
                    byte[] copy = u.clone();
                    copy[at % copy.length] = (byte) 0xff; // a length or count prefix that promises too much
                    return copy;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(truncated, flipped, inflated, random);
    }

    @Property(tries = 1500)
    void brokenInputNeverBreaksTheRoom(@ForAll("broken") byte[] input, @ForAll Kind kind) throws Exception {
        MemoryDocumentStore store = new MemoryDocumentStore();
        DocumentRooms rooms = new DocumentRooms(store, DocumentLimits.DEFAULT, EXECUTOR, TIMER);
        try {
            RecordingPeer fuzzer = new RecordingPeer("fuzzer");
            RecordingPeer writer = new RecordingPeer("writer");
            RecordingPeer watcher = new RecordingPeer("watcher");
            DocumentSession f = rooms.join("doc", fuzzer, DocumentAccess.READ_WRITE, true);
            DocumentSession w = rooms.join("doc", writer, DocumentAccess.READ_WRITE, true);
            rooms.join("doc", watcher, DocumentAccess.READ_WRITE, true);
            w.update(YjsVectors.update(0));

            switch (kind) {
                case UPDATE -> f.update(input);
                case STATE_VECTOR -> f.syncStep1(input);
                case AWARENESS -> f.awareness(input);
            }
            assertThat(fuzzer.closedWith()).isIn(null, DocumentError.MALFORMED);

            w.update(YjsVectors.update(1));
            assertThat(writer.closedWith()).isNull();
            assertThat(watcher.updates()).contains(YjsVectors.update(1));
            byte[] whole = rooms.document("doc"); // every accepted update still merges
            assertThat(YUpdates.stateVector(whole)).isNotNull();
        } finally {
            rooms.close();
        }
    }
}
