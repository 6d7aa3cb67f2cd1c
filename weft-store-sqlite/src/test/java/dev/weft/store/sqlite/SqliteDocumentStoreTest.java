package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreContractTest;
import dev.weft.core.docs.store.DocumentStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The document store contract on a real SQLite file, plus what only a file can show: reopening, bad files. */
class SqliteDocumentStoreTest extends DocumentStoreContractTest {

    @TempDir
    Path dataDirectory;

    @Override
    protected DocumentStore newStore() throws DocumentStoreException {
        return SqliteDocumentStore.open(dataDirectory);
    }

    @Test
    void everythingIsBackAfterReopening() throws Exception {
        store.append("notes/1", label("a"));
        long b = store.append("notes/1", label("b"));
        store.compact("notes/1", b, label("a|b"));
        long c = store.append("notes/1", label("c"));
        store.append("notes/2 ✍️", label("x"));
        store.append("gone", label("deleted"));
        long lastGone = store.append("gone", label("deleted too"));
        store.delete("gone");
        store.close();

        store = SqliteDocumentStore.open(dataDirectory);

        assertThat(store.documents()).containsExactly("notes/1", "notes/2 ✍️");
        assertThat(labels(store.load("notes/1"))).containsExactly("a|b", "c");
        assertThat(store.load("notes/1").lastSequence()).isEqualTo(c);
        assertThat(labels(store.load("notes/2 ✍️"))).containsExactly("x");
        assertThat(store.append("gone", label("reborn"))).as("no sequence reused across a reopen").isGreaterThan(lastGone);
    }

    @Test
    void fileIsOneWalModeDatabaseUnderTheDataDirectory() throws Exception {
        store.append("doc", label("a"));

        Path file = dataDirectory.resolve(SqliteDocumentStore.FILE_NAME);
        assertThat(file).isRegularFile();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = plain.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void missingDataDirectoryIsCreated() throws Exception {
        Path nested = dataDirectory.resolve("a/b/c");

        try (DocumentStore nestedStore = SqliteDocumentStore.open(nested)) {
            nestedStore.append("doc", label("a"));
        }

        assertThat(nested.resolve(SqliteDocumentStore.FILE_NAME)).isRegularFile();
    }

    @Test
    void corruptFileIsRefusedWithAClearMessage() throws Exception {
        Path other = dataDirectory.resolve("corrupt");
        Files.createDirectories(other);
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Files.write(other.resolve(SqliteDocumentStore.FILE_NAME), garbage);

        assertThatThrownBy(() -> SqliteDocumentStore.open(other))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("cannot open the document store")
                .hasMessageContaining(other.resolve(SqliteDocumentStore.FILE_NAME).toString())
                .hasMessageContaining("corrupt or not a SQLite database");
    }

    @Test
    void unopenableFileIsRefusedWithAClearMessage() throws Exception {
        Path other = dataDirectory.resolve("blocked");
        Files.createDirectories(other.resolve(SqliteDocumentStore.FILE_NAME));

        assertThatThrownBy(() -> SqliteDocumentStore.open(other))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("cannot open the database file");
    }

    @Test
    void dataDirectoryThatIsAFileIsRefusedWithAClearMessage() throws Exception {
        Path notADirectory = dataDirectory.resolve("plain-file");
        Files.writeString(notADirectory, "not a directory");

        assertThatThrownBy(() -> SqliteDocumentStore.open(notADirectory))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("cannot create the data directory " + notADirectory);
    }

    @Test
    void fileFromANewerSchemaIsRefused() throws Exception {
        store.close();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteDocumentStore.FILE_NAME));
             Statement statement = plain.createStatement()) {
            statement.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
        }

        assertThatThrownBy(() -> SqliteDocumentStore.open(dataDirectory))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("newer Weft");
    }

    @Test
    void fullDiskFailsTheAppendClearlyAndKeepsWhatWasStored() throws Exception {
        Path small = dataDirectory.resolve("small");
        try (DocumentStore limited = SqliteDocumentStore.open(small, 64)) {
            limited.append("doc", label("fits"));
            byte[] tooBig = new byte[1024 * 1024];

            assertThatThrownBy(() -> limited.append("doc", tooBig))
                    .isInstanceOf(DocumentStoreException.class)
                    .hasMessageContaining("cannot append to document 'doc'")
                    .hasMessageContaining("disk full");
            assertThat(labels(limited.load("doc"))).containsExactly("fits");
            limited.append("doc", label("still writable"));
            assertThat(labels(limited.load("doc"))).containsExactly("fits", "still writable");
        }
    }

    @Test
    void aBatchThatFillsTheDiskStoresNoneOfItsUpdates() throws Exception {
        Path small = dataDirectory.resolve("small-batch");
        try (DocumentStore limited = SqliteDocumentStore.open(small, 64)) {
            limited.append("doc", label("fits"));
            byte[] tooBig = new byte[1024 * 1024];

            assertThatThrownBy(() -> limited.appendAll("doc", List.of(label("first"), tooBig, label("last"))))
                    .isInstanceOf(DocumentStoreException.class)
                    .hasMessageContaining("disk full");
            assertThat(labels(limited.load("doc"))).containsExactly("fits");
            limited.appendAll("doc", List.of(label("b1"), label("b2")));
            assertThat(labels(limited.load("doc"))).containsExactly("fits", "b1", "b2");
        }
    }

    @Test
    void concurrentAppendsAreEachDurableWithTheirOwnSequence() throws Exception {
        int writers = 32;
        int perWriter = 40;
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                String document = "doc-" + (w % 8);
                String writer = "w" + w;
                results.add(threads.submit(() -> {
                    List<Long> sequences = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        sequences.add(store.append(document, label(writer + "#" + i)));
                    }
                    return sequences;
                }));
            }
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> result : results) {
            List<Long> sequences = result.get();
            assertThat(sequences).isSorted();
            all.addAll(sequences);
        }
        assertThat(all).as("distinct sequence numbers").hasSize(writers * perWriter);
        store.close();

        store = SqliteDocumentStore.open(dataDirectory);
        for (int w = 0; w < writers; w++) {
            String writer = "w" + w;
            List<String> mine = labels(store.load("doc-" + (w % 8))).stream().filter(l -> l.startsWith(writer + "#")).toList();
            assertThat(mine).containsExactlyElementsOf(IntStream.range(0, perWriter).mapToObj(i -> writer + "#" + i).toList());
        }
    }

    @Test
    void anAppendThatFillsTheDiskFailsAloneWhenOthersCommitBesideIt() throws Exception {
        Path small = dataDirectory.resolve("small-concurrent");
        try (DocumentStore limited = SqliteDocumentStore.open(small, 64)) {
            byte[] tooBig = new byte[1024 * 1024];
            List<Future<Long>> smallOnes = new ArrayList<>();
            Future<Long> big;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    String text = "small " + i;
                    smallOnes.add(threads.submit(() -> limited.append("doc-" + text, label(text))));
                }
                big = threads.submit(() -> limited.append("big", tooBig));
            }

            assertThatThrownBy(big::get).hasCauseInstanceOf(DocumentStoreException.class).hasMessageContaining("disk full");
            for (Future<Long> smallOne : smallOnes) {
                assertThat(smallOne.get()).isPositive();
            }
            assertThat(limited.documents()).hasSize(20).doesNotContain("big");
        }
    }
}
