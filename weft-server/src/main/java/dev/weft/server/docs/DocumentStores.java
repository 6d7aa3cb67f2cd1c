package dev.weft.server.docs;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.MemoryDocumentStore;
import dev.weft.server.config.DocsConfig;
import dev.weft.store.postgres.PostgresDocumentStore;
import dev.weft.store.postgres.PostgresDsn;
import dev.weft.store.sqlite.SqliteDocumentStore;

import java.nio.file.Path;

/**
 * The document store {@code docs.store} names, opened when the server starts: a data directory that cannot be
 * created, a file that cannot be opened or written, a file that is not a Weft document store, or a Postgres
 * database that cannot be reached or written stops the start with one message naming the path and the cause — not every document later, one failed client at a
 * time.
 */
public final class DocumentStores {
    private DocumentStores() {
    }

    /**
     * @throws IllegalStateException when the store cannot be opened and written (the message says which path
     *     and why)
     */
    public static DocumentStore open(DocsConfig config, Path dataDirectory) {
        return switch (config.store()) {
            case "memory" -> new MemoryDocumentStore();
            case "sqlite" -> openSqlite(dataDirectory);
            case "postgres" -> openPostgres(config.postgres());
            default -> throw new IllegalArgumentException("unknown docs.store " + config.store());
        };
    }

    private static DocumentStore openPostgres(DocsConfig.Postgres config) {
        if (config.dsn().isBlank()) {
            throw new IllegalStateException("document store (docs.store postgres): docs.postgres.dsn is not set "
                    + "(e.g. postgresql://user:password@127.0.0.1:5432/weft)");
        }
        try {
            return PostgresDocumentStore.open(PostgresDsn.parse(config.dsn()), config.schema(), config.poolSize());
        } catch (IllegalArgumentException | DocumentStoreException e) {
            throw new IllegalStateException("document store (docs.store postgres): " + e.getMessage(), e);
        }
    }

    private static DocumentStore openSqlite(Path dataDir) {
        SqliteDocumentStore store = null;
        try {
            store = SqliteDocumentStore.open(dataDir);
            store.check(); // a read-only file or directory opens fine and fails on the first write
            return store;
        } catch (DocumentStoreException e) {
            if (store != null) {
                store.close();
            }
            throw new IllegalStateException("document store (docs.store sqlite): " + e.getMessage(), e);
        }
    }
}
