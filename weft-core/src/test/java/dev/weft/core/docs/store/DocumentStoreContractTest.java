package dev.weft.core.docs.store;

import dev.weft.core.docs.store.DocumentStore.StoredDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link DocumentStore} contract, run against every implementation: {@code MemoryDocumentStoreTest},
 * {@code SqliteDocumentStoreTest}, … extend this class and supply {@link #newStore()}.
 *
 * <p>Updates here are opaque labels; a "merged" update is the labels it replaces joined with {@code |}, so
 * {@link #flatten} of any load must give back every appended label in append order, however appends and
 * compactions interleave. Every test gets a fresh, empty store.
 */
public abstract class DocumentStoreContractTest {

    /** The store under test, fresh and empty for each test and closed after it. */
    protected DocumentStore store;

    /** A new, empty store. */
    protected abstract DocumentStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void unknownDocumentLoadsEmpty() throws Exception {
        StoredDocument loaded = store.load("nobody-wrote-here");

        assertThat(loaded.updates()).isEmpty();
        assertThat(loaded.lastSequence()).isZero();
        assertThat(loaded.isEmpty()).isTrue();
        assertThat(store.documents()).isEmpty();
    }

    @Test
    void appendsComeBackInOrderWithIncreasingSequences() throws Exception {
        long previous = 0;
        for (int i = 0; i < 50; i++) {
            long sequence = store.append("doc", label("u" + i));
            assertThat(sequence).isGreaterThan(previous);
            previous = sequence;
        }

        StoredDocument loaded = store.load("doc");

        assertThat(labels(loaded)).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "u" + i).toList());
        assertThat(loaded.lastSequence()).isEqualTo(previous);
    }

    @Test
    void appendAllStoresTheBatchInOrderAfterEarlierAppends() throws Exception {
        long first = store.append("doc", label("a"));

        long last = store.appendAll("doc", List.of(label("b"), label("c"), label("d")));
        long after = store.append("doc", label("e"));

        assertThat(last).isGreaterThan(first);
        assertThat(after).isGreaterThan(last);
        StoredDocument loaded = store.load("doc");
        assertThat(labels(loaded)).containsExactly("a", "b", "c", "d", "e");
        assertThat(loaded.lastSequence()).isEqualTo(after);
    }

    @Test
    void appendAllOfOneIsAnAppendAndOfNoneIsRefused() throws Exception {
        long sequence = store.appendAll("doc", List.of(label("only")));

        assertThat(store.load("doc").lastSequence()).isEqualTo(sequence);
        assertThat(labels(store.load("doc"))).containsExactly("only");
        assertThatThrownBy(() -> store.appendAll("doc", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compactionAfterABatchKeepsTheBatchOrder() throws Exception {
        store.appendAll("doc", List.of(label("a"), label("b")));
        long upTo = store.appendAll("doc", List.of(label("c"), label("d")));
        store.compact("doc", upTo, label("a|b|c|d"));
        store.appendAll("doc", List.of(label("e"), label("f")));

        assertThat(flatten(store.load("doc"))).containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void storedSizesSumEachDocumentsUpdatesAndFollowCompactionAndDelete() throws Exception {
        store.check();
        store.append("a", new byte[10]);
        long last = store.append("a", new byte[20]);
        store.append("b", new byte[5]);
        assertThat(store.storedSizes()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 30L, "b", 5L));

        store.compact("a", last, new byte[7]);
        store.delete("b");

        assertThat(store.storedSizes()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 7L));
        store.check();
    }

    @Test
    void storedBytesAreCopiesNotShared() throws Exception {
        byte[] update = {1, 2, 3};
        store.append("doc", update);
        byte[] batched = {4, 5};
        store.appendAll("doc", List.of(batched));
        update[0] = 9;
        batched[0] = 9;

        byte[] first = store.load("doc").updates().getFirst();
        first[1] = 9;

        assertThat(store.load("doc").updates().getFirst()).containsExactly(1, 2, 3);
        assertThat(store.load("doc").updates().getLast()).containsExactly(4, 5);
    }

    @Test
    void emptyAndLargeUpdatesRoundTrip() throws Exception {
        byte[] large = new byte[8 * 1024 * 1024 + 1];
        new Random(42).nextBytes(large);
        store.append("big", new byte[0]);
        store.append("big", large);
        store.append("big", new byte[] {0});

        List<byte[]> updates = store.load("big").updates();

        assertThat(updates).hasSize(3);
        assertThat(updates.get(0)).isEmpty();
        assertThat(Arrays.equals(updates.get(1), large)).as("8 MiB update unchanged").isTrue();
        assertThat(updates.get(2)).containsExactly(0);
    }

    @Test
    void compactionReplacesThePrefixAndKeepsLaterAppends() throws Exception {
        long first = store.append("doc", label("a"));
        long second = store.append("doc", label("b"));
        long third = store.append("doc", label("c"));

        store.compact("doc", second, label("a|b"));
        long fourth = store.append("doc", label("d"));

        StoredDocument loaded = store.load("doc");
        assertThat(labels(loaded)).containsExactly("a|b", "c", "d");
        assertThat(loaded.lastSequence()).isEqualTo(fourth);
        assertThat(first).isLessThan(second);
        assertThat(fourth).isGreaterThan(third);
    }

    @Test
    void compactionOfEverythingKeepsTheLastSequence() throws Exception {
        store.append("doc", label("a"));
        long last = store.append("doc", label("b"));

        store.compact("doc", last, label("a|b"));

        StoredDocument loaded = store.load("doc");
        assertThat(labels(loaded)).containsExactly("a|b");
        assertThat(loaded.lastSequence()).isEqualTo(last);
        assertThat(store.append("doc", label("c"))).isGreaterThan(last);
    }

    @Test
    void compactionPastTheEndReplacesEverythingThere() throws Exception {
        store.append("doc", label("a"));
        long last = store.append("doc", label("b"));

        store.compact("doc", Long.MAX_VALUE, label("a|b"));

        assertThat(labels(store.load("doc"))).containsExactly("a|b");
        assertThat(store.load("doc").lastSequence()).isEqualTo(last);
    }

    @Test
    void repeatedCompactionFoldsThePreviousMergedUpdate() throws Exception {
        store.append("doc", label("a"));
        long b = store.append("doc", label("b"));
        store.compact("doc", b, label("a|b"));
        long c = store.append("doc", label("c"));

        store.compact("doc", c, label("a|b|c"));

        assertThat(labels(store.load("doc"))).containsExactly("a|b|c");
    }

    @Test
    void staleCompactionChangesNothing() throws Exception {
        long a = store.append("doc", label("a"));
        long b = store.append("doc", label("b"));
        store.compact("doc", b, label("a|b"));
        store.append("doc", label("c"));

        // Computed from an older load, arriving after the compaction that already covered its range.
        store.compact("doc", a - 1, label("stale"));

        assertThat(labels(store.load("doc"))).containsExactly("a|b", "c");
    }

    @Test
    void compactionOfAnUnknownDocumentStoresNothing() throws Exception {
        store.compact("ghost", 10, label("merged"));

        assertThat(store.load("ghost").isEmpty()).isTrue();
        assertThat(store.documents()).isEmpty();
    }

    @Test
    void compactionRacingWithAppendsLosesNothing() throws Exception {
        int appends = 400;
        List<String> appended = IntStream.range(0, appends).mapToObj(i -> "u" + i).toList();
        AtomicBoolean appending = new AtomicBoolean(true);
        List<String> violations = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> appender = threads.submit(() -> {
                try {
                    for (String label : appended) {
                        store.append("raced", label(label));
                    }
                } finally {
                    appending.set(false);
                }
                return null;
            });
            Future<Integer> compactor = threads.submit(() -> {
                int compactions = 0;
                while (appending.get() || compactions == 0) {
                    StoredDocument loaded = store.load("raced");
                    List<String> seen = flatten(loaded);
                    if (!seen.equals(appended.subList(0, seen.size()))) {
                        violations.add("load gave " + seen.size() + " labels out of order");
                    }
                    if (loaded.updates().size() > 1) {
                        store.compact("raced", loaded.lastSequence(), label(String.join("|", seen)));
                        compactions++;
                    }
                }
                return compactions;
            });
            appender.get();
            assertThat(compactor.get()).isPositive();
        }

        assertThat(violations).isEmpty();
        assertThat(flatten(store.load("raced"))).containsExactlyElementsOf(appended);
    }

    @Test
    void deleteRemovesTheDocumentAndItsSequencesAreNotReused() throws Exception {
        store.append("doc", label("old-1"));
        long oldLast = store.append("doc", label("old-2"));
        store.append("other", label("kept"));

        store.delete("doc");
        assertThat(store.load("doc").isEmpty()).isTrue();
        assertThat(store.documents()).containsExactly("other");

        long reborn = store.append("doc", label("new"));
        assertThat(reborn).isGreaterThan(oldLast);
        // A compaction computed before the delete must not eat the new document's updates.
        store.compact("doc", oldLast, label("old-1|old-2"));
        assertThat(labels(store.load("doc"))).containsExactly("new");
        assertThat(labels(store.load("other"))).containsExactly("kept");
    }

    @Test
    void deletingAnUnknownDocumentIsIgnored() throws Exception {
        store.delete("ghost");

        assertThat(store.documents()).isEmpty();
    }

    @Test
    void namesAreKeptExactlyAndListedInStringOrder() throws Exception {
        List<String> names = List.of(
                "a/b/c", "a/b", "a%2Fb", "Doc", "doc", "doc ", "", "it's \"quoted\"; DROP TABLE x;--",
                "ünïcödé", "文档/第一章", "emoji 😀 room", "\uFFFD", "\uD83D\uDE00", "x".repeat(1000));
        for (String name : names) {
            store.append(name, label("in " + name));
        }

        assertThat(store.documents()).containsExactlyElementsOf(names.stream().sorted().toList());
        for (String name : names) {
            assertThat(labels(store.load(name))).as(name).containsExactly("in " + name);
        }
    }

    @Test
    void concurrentDocumentsDoNotInterfere() throws Exception {
        int documents = 16;
        int perDocument = 60;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int d = 0; d < documents; d++) {
                String name = "room/" + d;
                writers.add(threads.submit(() -> {
                    for (int i = 0; i < perDocument; i++) {
                        store.append(name, label(name + "#" + i));
                        if (i % 20 == 19) {
                            StoredDocument loaded = store.load(name);
                            store.compact(name, loaded.lastSequence(), label(String.join("|", flatten(loaded))));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        }

        assertThat(store.documents()).hasSize(documents);
        for (int d = 0; d < documents; d++) {
            String name = "room/" + d;
            assertThat(flatten(store.load(name)))
                    .containsExactlyElementsOf(IntStream.range(0, perDocument).mapToObj(i -> name + "#" + i).toList());
        }
    }

    @Test
    void closedStoreRefusesEveryCall() throws Exception {
        store.append("doc", label("a"));

        store.close();
        store.close();

        assertThatThrownBy(() -> store.load("doc")).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.append("doc", label("b"))).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.compact("doc", 1, label("a"))).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.delete("doc")).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.documents()).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.storedSizes()).isInstanceOf(DocumentStoreException.class);
        assertThatThrownBy(() -> store.check()).isInstanceOf(DocumentStoreException.class);
    }

    /** An update that is just a readable label. */
    protected static byte[] label(String label) {
        return label.getBytes(UTF_8);
    }

    /** The labels of a load, one per stored update. */
    protected static List<String> labels(StoredDocument loaded) {
        return loaded.updates().stream().map(update -> new String(update, UTF_8)).toList();
    }

    /** The labels of a load with merged updates split back into the labels they replaced. */
    protected static List<String> flatten(StoredDocument loaded) {
        return labels(loaded).stream().flatMap(merged -> Arrays.stream(merged.split("\\|"))).toList();
    }
}
