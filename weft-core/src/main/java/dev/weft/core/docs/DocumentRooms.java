package dev.weft.core.docs;

import dev.weft.core.docs.hooks.DocumentHooks;
import dev.weft.core.docs.hooks.HookCaller;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.docs.store.DocumentStoreHealth;
import dev.weft.core.limits.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The loaded collaborative documents of this node, by name: a room is loaded from the {@link DocumentStore} on
 * first use (a peer joining, a server API call) and unloaded — compacted first — once nobody used it for
 * {@link DocumentLimits#unloadGrace}.
 *
 * <p><b>Bounds.</b> The rooms hold at most {@link DocumentLimits#maxLoadedSize} bytes of documents: loading one
 * more when they hold that much first unloads idle rooms (no peer, no call), least recently used first — their
 * updates are all in the store already, so nothing is lost — and, when only rooms in use are left, refuses
 * with {@link DocumentError#NODE_BUSY}. The store holds at most {@link DocumentLimits#maxNamespaceSize} bytes
 * per channel namespace ({@link NamespaceUsage}).
 *
 * <p><b>Quarantine.</b> A document whose stored updates do not decode is quarantined: one log line, no
 * further load attempts, every peer and call refused with {@link DocumentError#QUARANTINED} until
 * {@link #delete} removes it.
 *
 * <p>Transports call {@link #join}/{@link #admit} from virtual threads (they wait for the load). The registry
 * never touches the network; a room talks to its peers only through {@link DocumentPeer}.
 *
 * <p>Thread-safe: the maps, {@code loadedBytes} and every room's {@code reservations}, {@code loadedBytes} and
 * {@code lastUsed} are guarded by {@code lock}.
 */
public final class DocumentRooms implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocumentRooms.class);

    private final DocumentStore store;
    private final DocumentLimits limits;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final DocumentStoreHealth health;
    private final NamespaceUsage namespaces;
    private final LogThrottle busyLog = new LogThrottle(Duration.ofSeconds(1));
    private final Object lock = new Object();
    private final Map<String, DocumentRoom> rooms = new HashMap<>();
    /** Quarantined documents and why. */
    private final Map<String, String> quarantined = new HashMap<>();
    private long loadedBytes;
    private boolean closed;
    /** Tells the other nodes serving a room of its updates; null when the node is alone. */
    private volatile DocumentRelay relay;
    /** The backend's say in loading documents and what it is told of changes ({@code docs.hooks}). */
    private volatile DocumentHooks hooks = DocumentHooks.NONE;

    /** Every document in one namespace (no per-namespace quota can tell them apart). */
    public DocumentRooms(DocumentStore store, DocumentLimits limits, Executor executor,
                         ScheduledExecutorService timer) {
        this(store, limits, executor, timer, room -> "");
    }

    /**
     * @param executor    runs room tasks; virtual threads (store calls block)
     * @param timer       schedules unloads; its tasks only queue work into rooms
     * @param namespaceOf the channel namespace of a document, which {@link DocumentLimits#maxNamespaceSize}
     *                    bounds
     * @throws IllegalStateException when a namespace quota is set and the store cannot tell its sizes
     */
    public DocumentRooms(DocumentStore store, DocumentLimits limits, Executor executor,
                         ScheduledExecutorService timer, UnaryOperator<String> namespaceOf) {
        this.store = store;
        this.limits = limits;
        this.executor = executor;
        this.timer = timer;
        this.health = new DocumentStoreHealth(store, executor, Duration.ofSeconds(1));
        this.namespaces = NamespaceUsage.of(store, limits.maxNamespaceSize(), namespaceOf);
    }

    public DocumentLimits limits() {
        return limits;
    }

    /** Whether the store works as the rooms last saw it (readiness). */
    public DocumentStoreHealth health() {
        return health;
    }

    /**
     * Adds {@code peer} to document {@code name}, loading it first if needed. With {@code sendStateVector} the
     * peer is sent the document's state vector (y-websocket's SyncStep1) before anything else; then the
     * known awareness states. If the document is refused ({@link #admit}), the peer is closed with the reason
     * instead; the returned session then does nothing. Blocks until joined: call from a virtual thread.
     */
    public DocumentSession join(String name, DocumentPeer peer, DocumentAccess access, boolean sendStateVector) {
        Admission admission;
        try {
            admission = admit(name);
        } catch (DocumentRejectedException e) {
            peer.close(e.error(), e.detail());
            return DocumentSession.detached(name, peer);
        }
        return admission.join(peer, access, sendStateVector);
    }

    /**
     * Holds document {@code name} loaded for a peer about to join, so a dialect can refuse the peer in its own
     * words before telling it it is in (Hocuspocus's PermissionDenied, y-websocket's permission message).
     * Blocks until loaded: call from a virtual thread.
     *
     * @throws DocumentRejectedException {@link DocumentError#SHUTDOWN}, {@link DocumentError#QUARANTINED},
     *     {@link DocumentError#NODE_BUSY} or {@link DocumentError#STORE_FAILED} (the load failed)
     */
    public Admission admit(String name) throws DocumentRejectedException {
        return admit(name, HookCaller.SERVER);
    }

    /**
     * {@link #admit(String)} for a peer of {@code caller}'s: when the store has nothing of the document, the
     * load hook is asked for it with the caller's request.
     */
    public Admission admit(String name, HookCaller caller) throws DocumentRejectedException {
        DocumentRoom room = reserve(name, caller);
        try {
            room.awaitLoaded();
        } catch (DocumentRejectedException | RuntimeException e) {
            release(room);
            throw e;
        }
        return new Admission(room);
    }

    /** A document held loaded for a peer: {@link #join} it, or {@link #cancel}. Used once. */
    public final class Admission {
        private final DocumentRoom room;
        private boolean used;

        private Admission(DocumentRoom room) {
            this.room = room;
        }

        /** See {@link DocumentRooms#join}. */
        public DocumentSession join(DocumentPeer peer, DocumentAccess access, boolean sendStateVector) {
            use();
            DocumentSession session = new DocumentSession(room, peer);
            room.join(peer, access, sendStateVector);
            return session;
        }

        /** The peer will not join after all. */
        public void cancel() {
            use();
            release(room);
        }

        private void use() {
            if (used) {
                throw new IllegalStateException("admission to " + room.name() + " already used");
            }
            used = true;
        }
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

    /**
     * Removes document {@code name} from the store, and from quarantine: how an operator clears a damaged
     * document (its clients, which keep their own copy, fill it again when they reconnect).
     *
     * @throws DocumentRejectedException {@link DocumentError#FORBIDDEN} while peers have it open,
     *     {@link DocumentError#STORE_FAILED} when the store fails, {@link DocumentError#SHUTDOWN}
     */
    public void delete(String name) throws DocumentRejectedException {
        DocumentRoom idle;
        String previous;
        synchronized (lock) {
            if (closed) {
                throw new DocumentRejectedException(DocumentError.SHUTDOWN, "server shutting down");
            }
            idle = rooms.get(name);
            if (idle != null && idle.reservations > 0) {
                throw new DocumentRejectedException(DocumentError.FORBIDDEN, "document " + name + " is open ("
                        + idle.reservations + " peer(s) or call(s)); close it first");
            }
            if (idle != null) {
                forget(idle);
            }
            // While it is deleted, joins are refused instead of loading what is being removed.
            previous = quarantined.put(name, "being deleted");
        }
        if (idle != null) {
            idle.discard();
        }
        try {
            long stored = namespaces.enabled() ? storedBytes(store.load(name)) : 0;
            store.delete(name);
            namespaces.add(name, -stored);
            health.succeeded();
        } catch (DocumentStoreException e) {
            health.failed("could not delete document " + DocumentNames.forLog(name), e);
            throw new DocumentRejectedException(e.diskFull() ? DocumentError.STORE_FULL : DocumentError.STORE_FAILED,
                    e.getMessage());
        } finally {
            synchronized (lock) {
                quarantined.remove(name);
            }
        }
        log.info("document {} deleted{}", DocumentNames.forLog(name), previous != null ? " (it was quarantined)" : "");
    }

    /** The room of document {@code name} if it is loaded here, without loading it or holding it loaded. */
    DocumentRoom loadedRoom(String name) {
        synchronized (lock) {
            return rooms.get(name);
        }
    }

    List<DocumentRoom> loadedRooms() {
        synchronized (lock) {
            return new ArrayList<>(rooms.values());
        }
    }

    void relayThrough(DocumentRelay r) {
        this.relay = r;
    }

    /** Hooks the rooms call from now on (set before documents are served). */
    public void useHooks(DocumentHooks h) {
        this.hooks = h == null ? DocumentHooks.NONE : h;
    }

    /** The hooks rooms and their peers report to. */
    public DocumentHooks hooks() {
        return hooks;
    }

    /** Where rooms tell the other nodes of their updates and awareness; null when the node is alone. */
    DocumentRelay relay() {
        return relay;
    }

    /** Runs {@code task} after {@code delay} on the timer (it only queues work into a room). */
    void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("timer stopped; task not scheduled");
        }
    }

    /** Names of the loaded documents (tests, admin). */
    public List<String> loaded() {
        synchronized (lock) {
            return new ArrayList<>(rooms.keySet());
        }
    }

    /** The loaded documents by name, in name order, with their bytes in memory and their holders (admin). */
    public Map<String, Loaded> loadedDocuments() {
        synchronized (lock) {
            Map<String, Loaded> out = new TreeMap<>();
            rooms.forEach((name, room) -> out.put(name, new Loaded(room.loadedBytes, room.reservations)));
            return out;
        }
    }

    /**
     * A loaded document as {@link #loadedDocuments} reports it.
     *
     * @param bytes   its merged update and pending updates, as counted against {@code docs.max_loaded_size}
     * @param holders peers editing it plus API calls reading it now
     */
    public record Loaded(long bytes, int holders) {
    }

    /** Bytes of the loaded documents (their encoded updates), what {@link DocumentLimits#maxLoadedSize} caps. */
    public long loadedBytes() {
        synchronized (lock) {
            return loadedBytes;
        }
    }

    /** Names of the quarantined documents and why each is (admin, tests). */
    public Map<String, String> quarantined() {
        synchronized (lock) {
            return Map.copyOf(quarantined);
        }
    }

    private interface RoomCall<T> {
        T apply(DocumentRoom room) throws DocumentRejectedException;
    }

    private <T> T withRoom(String name, RoomCall<T> call) throws DocumentRejectedException {
        DocumentRoom room = reserve(name, HookCaller.SERVER);
        try {
            return call.apply(room);
        } finally {
            release(room);
        }
    }

    private DocumentRoom reserve(String name, HookCaller caller) throws DocumentRejectedException {
        List<DocumentRoom> evicted = new ArrayList<>();
        try {
            synchronized (lock) {
                if (closed) {
                    throw new DocumentRejectedException(DocumentError.SHUTDOWN, "server shutting down");
                }
                String quarantine = quarantined.get(name);
                if (quarantine != null) {
                    throw new DocumentRejectedException(DocumentError.QUARANTINED, "document " + name + ": "
                            + quarantine);
                }
                DocumentRoom room = rooms.get(name);
                if (room == null) {
                    makeRoom(evicted);
                    room = new DocumentRoom(name, store, limits, this, executor, caller);
                    rooms.put(name, room);
                }
                room.reservations++;
                room.lastUsed = System.nanoTime();
                return room;
            }
        } finally {
            evicted.forEach(DocumentRoom::unload);
        }
    }

    /** Under the lock: unloads idle rooms, least recently used first, until a new one may load; else refuses. */
    private void makeRoom(List<DocumentRoom> evicted) throws DocumentRejectedException {
        long cap = limits.maxLoadedSize();
        if (cap == 0 || loadedBytes < cap) {
            return;
        }
        List<DocumentRoom> idle = rooms.values().stream().filter(r -> r.reservations == 0)
                .sorted(Comparator.comparingLong(r -> r.lastUsed)).toList();
        for (DocumentRoom room : idle) {
            if (loadedBytes < cap) {
                break;
            }
            forget(room);
            evicted.add(room);
        }
        if (!evicted.isEmpty()) {
            log.debug("unloaded {} idle document(s) to stay under docs.max_loaded_size; {} bytes loaded",
                    evicted.size(), loadedBytes);
        }
        if (loadedBytes >= cap) {
            long leftOut = busyLog.admit();
            if (leftOut >= 0) {
                log.warn("refusing to load another document: {} bytes of documents in use, docs.max_loaded_size is "
                        + "{}{}", loadedBytes, cap, leftOut > 0 ? " (" + leftOut + " more refusals not logged)" : "");
            }
            throw new DocumentRejectedException(DocumentError.NODE_BUSY, "the node holds " + loadedBytes
                    + " bytes of documents in use (docs.max_loaded_size is " + cap + "); try again later");
        }
    }

    /** Under the lock: the room leaves the registry and its bytes leave the count. */
    private void forget(DocumentRoom room) {
        if (rooms.remove(room.name(), room)) {
            loadedBytes -= room.loadedBytes;
            room.loadedBytes = 0;
        }
    }

    /** A peer or call is done with {@code room}; the last one starts the unload grace period. */
    void release(DocumentRoom room) {
        boolean idle;
        synchronized (lock) {
            idle = --room.reservations == 0 && !closed;
            room.lastUsed = System.nanoTime();
        }
        if (idle) {
            try {
                timer.schedule(room::unloadIfIdle, limits.unloadGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("document {} stays loaded: the timer has stopped", DocumentNames.forLog(room.name()));
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
            if (room.reservations != 0 || closed || rooms.get(room.name()) != room) {
                return false;
            }
            forget(room);
            return true;
        }
    }

    /** The room's document now takes {@code bytes} in memory (from the room's tasks). */
    void resized(DocumentRoom room, long bytes) {
        synchronized (lock) {
            if (rooms.get(room.name()) == room) {
                loadedBytes += bytes - room.loadedBytes;
                room.loadedBytes = bytes;
            }
        }
    }

    /** A room that could not load leaves the registry at once, so the next join tries again. */
    void removeFailed(DocumentRoom room) {
        synchronized (lock) {
            forget(room);
        }
    }

    /** The room's stored document does not decode: it leaves the registry and is not loaded again. */
    void quarantine(DocumentRoom room, String reason) {
        synchronized (lock) {
            forget(room);
            quarantined.put(room.name(), reason);
        }
        log.warn("document {} quarantined: {}; its peers are refused until it is deleted (DELETE /api/docs/<room>)",
                DocumentNames.forLog(room.name()), reason);
    }

    NamespaceUsage namespaces() {
        return namespaces;
    }

    static long storedBytes(DocumentStore.StoredDocument stored) {
        return stored.updates().stream().mapToLong(u -> u.length).sum();
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
            loadedBytes = 0;
        }
        for (DocumentRoom room : all) {
            try {
                room.shutdown();
            } catch (RuntimeException e) {
                log.warn("document {} did not shut down cleanly", DocumentNames.forLog(room.name()), e);
            }
        }
    }
}
