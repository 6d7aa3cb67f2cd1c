package dev.weft.core.docs;

import dev.weft.core.docs.store.DocumentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The loaded collaborative documents of this node, by name: a room is loaded from the {@link DocumentStore} on
 * first use (a peer joining, a server API call) and unloaded — compacted first — once nobody used it for
 * {@link DocumentLimits#unloadGrace}.
 *
 * <p>Transports call {@link #join} from virtual threads (it waits for the load). The registry never touches
 * the network; a room talks to its peers only through {@link DocumentPeer}.
 *
 * <p>Thread-safe: the map and every room's {@code reservations} are guarded by {@code lock}.
 */
public final class DocumentRooms implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocumentRooms.class);

    private final DocumentStore store;
    private final DocumentLimits limits;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private final Map<String, DocumentRoom> rooms = new HashMap<>();
    private boolean closed;

    /**
     * @param executor runs room tasks; virtual threads (store calls block)
     * @param timer    schedules unloads; its tasks only queue work into rooms
     */
    public DocumentRooms(DocumentStore store, DocumentLimits limits, Executor executor,
                         ScheduledExecutorService timer) {
        this.store = store;
        this.limits = limits;
        this.executor = executor;
        this.timer = timer;
    }

    public DocumentLimits limits() {
        return limits;
    }

    /**
     * Adds {@code peer} to document {@code name}, loading it first if needed. With {@code sendStateVector} the
     * peer is sent the document's state vector (y-websocket's SyncStep1) before anything else; then the
     * known awareness states. If the document cannot be loaded, or the node is shutting down, the peer is
     * closed instead ({@link DocumentError#STORE_FAILED}, {@link DocumentError#SHUTDOWN}); the returned
     * session then does nothing. Blocks until joined: call from a virtual thread.
     */
    public DocumentSession join(String name, DocumentPeer peer, DocumentAccess access, boolean sendStateVector) {
        DocumentRoom room = reserve(name);
        if (room == null) {
            peer.close(DocumentError.SHUTDOWN, "server shutting down");
            return DocumentSession.detached(name, peer);
        }
        DocumentSession session = new DocumentSession(room, peer);
        room.join(peer, access, sendStateVector);
        return session;
    }

    /** The merged document (loading it for the call if needed). */
    public byte[] document(String name) throws DocumentRejectedException {
        return withRoom(name, DocumentRoom::document);
    }

    /** The document's state vector. */
    public byte[] stateVector(String name) throws DocumentRejectedException {
        return withRoom(name, DocumentRoom::stateVectorNow);
    }

    /** Applies an update from the server side: stored, then sent to every peer of the document. */
    public void apply(String name, byte[] update) throws DocumentRejectedException {
        withRoom(name, room -> {
            room.applyFromServer(update);
            return null;
        });
    }

    /** Names of the loaded documents (tests, admin). */
    public List<String> loaded() {
        synchronized (lock) {
            return new ArrayList<>(rooms.keySet());
        }
    }

    private interface RoomCall<T> {
        T apply(DocumentRoom room) throws DocumentRejectedException;
    }

    private <T> T withRoom(String name, RoomCall<T> call) throws DocumentRejectedException {
        DocumentRoom room = reserve(name);
        if (room == null) {
            throw new DocumentRejectedException(DocumentError.SHUTDOWN, "server shutting down");
        }
        try {
            return call.apply(room);
        } finally {
            release(room);
        }
    }

    private DocumentRoom reserve(String name) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            DocumentRoom room = rooms.computeIfAbsent(name,
                    n -> new DocumentRoom(n, store, limits, this, executor));
            room.reservations++;
            return room;
        }
    }

    /** A peer or call is done with {@code room}; the last one starts the unload grace period. */
    void release(DocumentRoom room) {
        boolean idle;
        synchronized (lock) {
            idle = --room.reservations == 0 && !closed;
        }
        if (idle) {
            try {
                timer.schedule(room::unloadIfIdle, limits.unloadGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("document {} stays loaded: the timer has stopped", room.name());
            }
        }
    }

    boolean idle(DocumentRoom room) {
        synchronized (lock) {
            return room.reservations == 0 && !closed;
        }
    }

    /** Removes an idle room from the registry; false when someone reserved it meanwhile. */
    boolean removeIfIdle(DocumentRoom room) {
        synchronized (lock) {
            if (room.reservations != 0 || closed) {
                return false;
            }
            return rooms.remove(room.name(), room);
        }
    }

    /** A room that could not load leaves the registry at once, so the next join tries again. */
    void removeFailed(DocumentRoom room) {
        synchronized (lock) {
            rooms.remove(room.name(), room);
        }
    }

    /**
     * Closes every peer ({@link DocumentError#SHUTDOWN}) and compacts every loaded document; later joins are
     * refused. Waits for the rooms; the store stays open (its owner closes it).
     */
    @Override
    public void close() {
        List<DocumentRoom> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(rooms.values());
            rooms.clear();
        }
        for (DocumentRoom room : all) {
            try {
                room.shutdown();
            } catch (RuntimeException e) {
                log.warn("document {} did not shut down cleanly", room.name(), e);
            }
        }
    }
}
