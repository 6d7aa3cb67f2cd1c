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
 * @param store             {@code sqlite} (a file under the top-level {@code data_dir}) or {@code memory} (lost on
 *                          restart)
 */
public record DocsConfig(boolean yjsEnabled, boolean hocuspocusEnabled, String namespace, DocumentLimits limits,
                         String store) {
    public static final List<String> STORES = List.of("sqlite", "memory");
    public static final DocsConfig DEFAULT =
            new DocsConfig(true, true, "", DocumentLimits.DEFAULT, "sqlite");

    public DocsConfig {
        namespace = namespace == null ? "" : namespace;
        if (!STORES.contains(store)) {
            throw new IllegalArgumentException("docs.store must be one of " + STORES + ", got " + store);
        }
    }

    /** Whether any document endpoint is served. */
    public boolean enabled() {
        return yjsEnabled || hocuspocusEnabled;
    }

    public DocsConfig withYjsEnabled(boolean v) {
        return new DocsConfig(v, hocuspocusEnabled, namespace, limits, store);
    }

    public DocsConfig withHocuspocusEnabled(boolean v) {
        return new DocsConfig(yjsEnabled, v, namespace, limits, store);
    }

    public DocsConfig withNamespace(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, v, limits, store);
    }

    public DocsConfig withLimits(DocumentLimits v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, v, store);
    }

    public DocsConfig withStore(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, v);
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
