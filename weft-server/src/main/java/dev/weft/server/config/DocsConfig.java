package dev.weft.server.config;

import dev.weft.core.docs.DocumentLimits;

import java.time.Duration;
import java.util.List;

/**
 * {@code docs.*} (Weft additions): collaborative documents over the y-websocket ({@code /yjs/<room>}) and
 * Hocuspocus ({@code /hocuspocus}) dialects, and {@code /api/docs/<room>}.
 *
 * @param yjsEnabled        serve {@code /yjs/<room>}
 * @param hocuspocusEnabled serve {@code /hocuspocus}
 * @param namespace         channel namespace of every room ({@code <namespace>:<room>}); "" = the room name is
 *                          the channel name
 * @param limits            update, document, loaded and namespace size bounds, unload grace period, compaction
 *                          threshold
 * @param store             {@code sqlite} (a file under the top-level {@code data_dir}), {@code postgres} (a
 *                          database every node shares) or {@code memory} (lost on restart)
 * @param postgres          {@code docs.postgres.*}: the database of {@code docs.store: postgres}
 */
public record DocsConfig(boolean yjsEnabled, boolean hocuspocusEnabled, String namespace, DocumentLimits limits,
                         String store, Postgres postgres) {
    public static final List<String> STORES = List.of("sqlite", "postgres", "memory");
    public static final DocsConfig DEFAULT =
            new DocsConfig(true, true, "", DocumentLimits.DEFAULT, "sqlite", Postgres.DEFAULT);

    /**
     * {@code docs.postgres.*}.
     *
     * @param dsn      {@code postgresql://user:password@host:port/database?…} (libpq's URI form) or a
     *                 {@code jdbc:postgresql://} URL
     * @param schema   the schema holding the tables (created when missing)
     * @param poolSize connections per node at most
     */
    public record Postgres(String dsn, String schema, int poolSize) {
        public static final Postgres DEFAULT = new Postgres("", "weft", 4);

        public Postgres {
            dsn = dsn == null ? "" : dsn;
        }
    }

    public DocsConfig {
        namespace = namespace == null ? "" : namespace;
        postgres = postgres == null ? Postgres.DEFAULT : postgres;
        if (!STORES.contains(store)) {
            throw new IllegalArgumentException("docs.store must be one of " + STORES + ", got " + store);
        }
    }

    /** Whether any document endpoint is served. */
    public boolean enabled() {
        return yjsEnabled || hocuspocusEnabled;
    }

    public DocsConfig withYjsEnabled(boolean v) {
        return new DocsConfig(v, hocuspocusEnabled, namespace, limits, store, postgres);
    }

    public DocsConfig withHocuspocusEnabled(boolean v) {
        return new DocsConfig(yjsEnabled, v, namespace, limits, store, postgres);
    }

    public DocsConfig withNamespace(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, v, limits, store, postgres);
    }

    public DocsConfig withLimits(DocumentLimits v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, v, store, postgres);
    }

    public DocsConfig withStore(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, v, postgres);
    }

    public DocsConfig withPostgresDsn(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(v, postgres.schema(), postgres.poolSize()));
    }

    public DocsConfig withPostgresSchema(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(postgres.dsn(), v, postgres.poolSize()));
    }

    public DocsConfig withPostgresPoolSize(int v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(postgres.dsn(), postgres.schema(), v));
    }


    public DocsConfig withUnloadGrace(Duration v) {
        return withLimits(limits.withUnloadGrace(v));
    }

    public DocsConfig withMaxUpdateSize(int v) {
        return withLimits(limits.withMaxUpdateSize(v));
    }

    public DocsConfig withMaxDocumentSize(long v) {
        return withLimits(limits.withMaxDocumentSize(v));
    }

    public DocsConfig withCompactAfter(int v) {
        return withLimits(limits.withCompactAfter(v));
    }

    public DocsConfig withMaxLoadedSize(long v) {
        return withLimits(limits.withMaxLoadedSize(v));
    }

    public DocsConfig withMaxNamespaceSize(long v) {
        return withLimits(limits.withMaxNamespaceSize(v));
    }
}
