package dev.weft.server.docs;

import dev.weft.core.Node;
import dev.weft.core.docs.DocumentAuthorizer;
import dev.weft.core.docs.DocumentRelay;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.server.config.DocsConfig;

import java.nio.file.Path;

/**
 * The collaborative-document side of a server: the store chosen by {@code docs.store} (opened here, so a store
 * that cannot be used stops the start), the rooms
 * ({@link DocumentRooms}, on the node's virtual threads and timer) and who may open what
 * ({@link DocumentAuthorizer}). {@link #close} closes every peer and compacts every loaded document, then
 * closes the store.
 *
 * <p>Thread-safe.
 */
public final class DocumentService implements AutoCloseable {
    private final DocumentStore store;
    private final DocumentRooms rooms;
    private final DocumentAuthorizer authorizer;
    private final DocumentTraffic traffic = new DocumentTraffic();

    /** With the store {@code docs.store} names, a {@code sqlite} one under {@code dataDirectory}. */
    public DocumentService(DocsConfig config, Path dataDirectory, Node node) {
        this(config, node, DocumentStores.open(config, dataDirectory));
    }

    /** With a store of the caller's; {@link #close} closes it. */
    public DocumentService(DocsConfig config, Node node, DocumentStore store) {
        this.store = store;
        this.authorizer = new DocumentAuthorizer(node, config.namespace());
        try {
            this.rooms = new DocumentRooms(store, config.limits(), node.executor(), node.timer(),
                    authorizer::namespaceOf);
            // In a cluster, the other nodes serving a room see its updates and awareness live.
            DocumentRelay.start(rooms, listener -> node.attachToCluster(DocumentRelay.KIND, listener));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public DocumentRooms rooms() {
        return rooms;
    }

    public DocumentAuthorizer authorizer() {
        return authorizer;
    }

    public DocumentStore store() {
        return store;
    }

    /** Updates and awareness relayed to peers of every room. */
    public DocumentTraffic traffic() {
        return traffic;
    }

    /** Null while documents can be served; else why not (the store failing), for readiness. */
    public String unreadyReason() {
        String problem = rooms.health().problem();
        return problem == null ? null : "document store: " + problem;
    }

    @Override
    public void close() {
        try {
            rooms.close();
        } finally {
            store.close();
        }
    }
}
