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
import java.util.Random;

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
}
