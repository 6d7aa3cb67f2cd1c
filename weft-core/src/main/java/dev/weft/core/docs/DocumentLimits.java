package dev.weft.core.docs;

import java.time.Duration;

/**
 * Bounds and timings of document rooms.
 *
 * @param maxUpdateSize     largest update (bytes) a peer or the API may send; bigger ends the peer
 * @param maxDocumentSize   largest document (bytes of its merged update, as far as the room knows it) a room
 *                          holds; an update that would pass it is refused
 * @param unloadGrace       how long a room stays loaded after its last peer left
 * @param compactAfter      stored updates since the last compaction after which the room merges them into
 *                          one (in memory and in the store)
 * @param maxLoadedSize     bytes of documents (their encoded updates) the node keeps loaded before it unloads
 *                          idle rooms, least recently used first, and then refuses to load more; 0 = no cap
 * @param maxNamespaceSize  bytes the store may hold for the documents of one channel namespace (the sum of
 *                          their stored updates); an update that would pass it is refused; 0 = no quota
 */
public record DocumentLimits(int maxUpdateSize, long maxDocumentSize, Duration unloadGrace, int compactAfter,
                             long maxLoadedSize, long maxNamespaceSize) {

    /**
     * 100 MiB for an update and for a document: what {@code @y/websocket-server} and {@code @hocuspocus/server}
     * accept in one message by default (their {@code ws} server's {@code maxPayload}), so that any document a
     * client built offline, up to the document limit, can be sent as the one SyncStep2 y-protocols makes of it.
     */
    public static final DocumentLimits DEFAULT = new DocumentLimits(100 * 1024 * 1024, 100L * 1024 * 1024,
            Duration.ofSeconds(30), 500, 256L * 1024 * 1024, 0);

    public DocumentLimits {
        if (maxUpdateSize <= 0 || maxDocumentSize <= 0) {
            throw new IllegalArgumentException("document size limits must be > 0");
        }
        if (unloadGrace == null || unloadGrace.isNegative()) {
            throw new IllegalArgumentException("unload grace must be >= 0");
        }
        if (compactAfter < 1) {
            throw new IllegalArgumentException("compact_after must be >= 1");
        }
        if (maxLoadedSize < 0 || maxNamespaceSize < 0) {
            throw new IllegalArgumentException("max_loaded_size and max_namespace_size must be >= 0 (0 = off)");
        }
    }

    public DocumentLimits withMaxUpdateSize(int v) {
        return new DocumentLimits(v, maxDocumentSize, unloadGrace, compactAfter, maxLoadedSize, maxNamespaceSize);
    }

    public DocumentLimits withMaxDocumentSize(long v) {
        return new DocumentLimits(maxUpdateSize, v, unloadGrace, compactAfter, maxLoadedSize, maxNamespaceSize);
    }

    public DocumentLimits withUnloadGrace(Duration v) {
        return new DocumentLimits(maxUpdateSize, maxDocumentSize, v, compactAfter, maxLoadedSize, maxNamespaceSize);
    }

    public DocumentLimits withCompactAfter(int v) {
        return new DocumentLimits(maxUpdateSize, maxDocumentSize, unloadGrace, v, maxLoadedSize, maxNamespaceSize);
    }

    public DocumentLimits withMaxLoadedSize(long v) {
        return new DocumentLimits(maxUpdateSize, maxDocumentSize, unloadGrace, compactAfter, v, maxNamespaceSize);
    }

    public DocumentLimits withMaxNamespaceSize(long v) {
        return new DocumentLimits(maxUpdateSize, maxDocumentSize, unloadGrace, compactAfter, maxLoadedSize, v);
    }
}
