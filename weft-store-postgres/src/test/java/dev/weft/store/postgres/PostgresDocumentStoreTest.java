package dev.weft.store.postgres;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreContractTest;
import dev.weft.core.docs.store.DocumentStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The document store contract on the machine's Postgres, each test in a schema of its own, plus what only a
 * shared database shows: two stores (two nodes) appending to one document, and a database that goes away.
 */
class PostgresDocumentStoreTest extends DocumentStoreContractTest {

    private final String schema = PostgresTestSupport.uniqueSchema();
    private final List<DocumentStore> others = new ArrayList<>();

    @Override
    protected DocumentStore newStore() throws DocumentStoreException {
        return open();
    }

    private PostgresDocumentStore open() throws DocumentStoreException {
        return PostgresDocumentStore.open(PostgresDsn.parse(PostgresTestSupport.DSN), schema, 4);
    }

    @AfterEach
    void dropSchema() throws Exception {
        others.forEach(DocumentStore::close);
        PostgresTestSupport.dropSchema(schema);
    }

    @Test
    void twoNodesAppendingToOneDocumentLoseNothingAndShareOneSequence() throws Exception {
        PostgresDocumentStore second = open();
        others.add(second);
        int perWriter = 60;
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 8; w++) {
                DocumentStore node = w % 2 == 0 ? store : second;
                String writer = "w" + w;
                results.add(threads.submit(() -> {
                    List<Long> sequences = new ArrayList<>();
                    for (int i = 0; i < perWriter; i += 3) {
                        sequences.add(node.appendAll("shared", List.of(label(writer + "#" + i),
                                label(writer + "#" + (i + 1)), label(writer + "#" + (i + 2)))));
                    }
                    return sequences;
                }));
            }
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> result : results) {
            assertThat(result.get()).isSorted();
            all.addAll(result.get());
        }
        assertThat(all).as("each batch its own last sequence").hasSize(8 * perWriter / 3);
        DocumentStore.StoredDocument loaded = second.load("shared");
        assertThat(loaded.updates()).hasSize(8 * perWriter);
        assertThat(loaded.lastSequence()).as("contiguous per document").isEqualTo(8L * perWriter);
        for (int w = 0; w < 8; w++) {
            String writer = "w" + w;
            assertThat(labels(loaded).stream().filter(l -> l.startsWith(writer + "#")).toList())
                    .containsExactlyElementsOf(IntStream.range(0, perWriter).mapToObj(i -> writer + "#" + i).toList());
        }
    }

    @Test
    void aCompactionOnOneNodeKeepsWhatAnotherNodeAppendsMeanwhile() throws Exception {
        PostgresDocumentStore second = open();
        others.add(second);
        store.append("doc", label("a"));
        DocumentStore.StoredDocument seen = store.load("doc");
        second.append("doc", label("b"));

        store.compact("doc", seen.lastSequence(), label("a"));

        assertThat(labels(second.load("doc"))).containsExactly("a", "b");
    }

    @Test
    void nodesOpeningOneNewSchemaTogetherAllStart() throws Exception {
        String fresh = PostgresTestSupport.uniqueSchema();
        List<Future<PostgresDocumentStore>> opened = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                opened.add(threads.submit(() -> PostgresDocumentStore.open(PostgresDsn.parse(PostgresTestSupport.DSN),
                        fresh, 1)));
            }
        }
        try {
            for (Future<PostgresDocumentStore> node : opened) {
                others.add(node.get());
            }
            others.getFirst().append("doc", label("a"));
            assertThat(labels(others.getLast().load("doc"))).containsExactly("a");
        } finally {
            others.forEach(DocumentStore::close);
            others.clear();
            PostgresTestSupport.dropSchema(fresh);
        }
    }

    @Test
    void documentNamesWithNulAreRefusedClearly() {
        assertThatThrownBy(() -> store.append("a\0b", label("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
    }

    @Test
    void anUnreachableDatabaseFailsOpeningWithAClearMessage() {
        PostgresDsn nowhere = PostgresDsn.parse("postgresql://postgres:secret@127.0.0.1:1/test");

        assertThatThrownBy(() -> PostgresDocumentStore.open(nowhere, schema, 1))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("cannot open the document store")
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("cannot reach Postgres")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aDroppedSchemaFailsAppendsNamingTheDatabase() throws Exception {
        store.append("doc", label("a"));
        PostgresTestSupport.dropSchema(schema);

        assertThatThrownBy(() -> store.append("doc", label("b")))
                .isInstanceOf(DocumentStoreException.class)
                .hasMessageContaining("cannot append to document 'doc'")
                .hasMessageContaining(schema);
    }
}
