package dev.weft.server.docs;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.server.config.DocsConfig;
import dev.weft.store.sqlite.SqliteDocumentStore;

import java.nio.file.Path;
import java.util.List;

/**
 * The document store {@code docs.store} names. The SQLite file is opened when the first document is, not at
 * startup: a server that never serves a document leaves no file behind (a failure to open then refuses that
 * document's peers with a log line, and is tried again on the next).
 */
public final class DocumentStores {
    private DocumentStores() {
    }

    public static DocumentStore open(DocsConfig config) {
        return switch (config.store()) {
            case "memory" -> new MemoryDocumentStore();
            case "sqlite" -> new OpenedOnFirstUse(() -> SqliteDocumentStore.open(Path.of(config.dataDir())));
            default -> throw new IllegalArgumentException("unknown docs.store " + config.store());
        };
    }

    private interface Opener {
        DocumentStore open() throws DocumentStoreException;
    }

    /** Delegates to a store opened on the first call. Thread-safe: {@code store} is published once, volatile. */
    private static final class OpenedOnFirstUse implements DocumentStore {
        private final Opener opener;
        private volatile DocumentStore store;
        private boolean closed; // guarded by this

        OpenedOnFirstUse(Opener opener) {
            this.opener = opener;
        }

        private DocumentStore store() throws DocumentStoreException {
            DocumentStore s = store;
            if (s != null) {
                return s;
            }
            synchronized (this) {
                if (closed) {
                    throw new DocumentStoreException("document store closed");
                }
                if (store == null) {
                    store = opener.open();
                }
                return store;
            }
        }

        @Override
        public StoredDocument load(String document) throws DocumentStoreException {
            return store().load(document);
        }

        @Override
        public long append(String document, byte[] update) throws DocumentStoreException {
            return store().append(document, update);
        }

        @Override
        public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
            return store().appendAll(document, updates);
        }

        @Override
        public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
            store().compact(document, upToSequence, merged);
        }

        @Override
        public void delete(String document) throws DocumentStoreException {
            store().delete(document);
        }

        @Override
        public List<String> documents() throws DocumentStoreException {
            return store().documents();
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (store != null) {
                store.close();
            }
        }
    }
}
