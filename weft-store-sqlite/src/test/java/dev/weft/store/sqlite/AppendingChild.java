package dev.weft.store.sqlite;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStore.StoredDocument;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Run in a child JVM by {@link SqliteKillTest}: appends {@code u0, u1, …} to one document forever, compacting
 * every 25 appends, and prints {@code acked <label>} after each append returns — until it is killed.
 */
final class AppendingChild {

    static final String DOCUMENT = "killed/doc ✂";

    public static void main(String[] args) throws Exception {
        DocumentStore store = SqliteDocumentStore.open(Path.of(args[0]));
        for (int i = 0; ; i++) {
            store.append(DOCUMENT, ("u" + i).getBytes(UTF_8));
            System.out.println("acked u" + i);
            System.out.flush();
            if (i % 25 == 24) {
                StoredDocument loaded = store.load(DOCUMENT);
                List<String> labels = new ArrayList<>();
                for (byte[] update : loaded.updates()) {
                    labels.add(new String(update, UTF_8));
                }
                store.compact(DOCUMENT, loaded.lastSequence(), String.join("|", labels).getBytes(UTF_8));
            }
        }
    }
}
