package dev.weft.core.docs;

import dev.weft.core.docs.hooks.DocumentHookException;
import dev.weft.core.docs.hooks.DocumentHooks;
import dev.weft.core.docs.hooks.HookCaller;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import dev.weft.core.internal.SerialExecutor;
import dev.weft.yjs.YUpdates;
import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One loaded collaborative document and the peers editing it.
 *
 * <p><b>State.</b> The document is a merged base update plus the updates applied since, merged lazily: only
 * when someone needs the whole document (a peer's SyncStep1, the server API, compaction), never per
 * keystroke. The state vector is cached until the next update.
 *
 * <p><b>Durability.</b> An update is validated (it must merge: every struct and the delete set decode), checked
 * against the size limits and its namespace's quota, then appended to the {@link DocumentStore}; only when that
 * returned is it relayed to the other peers and acknowledged. Updates are stored in batches: one room task takes every update that peers submitted meanwhile
 * and appends them in one {@link DocumentStore#appendAll} (one durable write), so a fast writer, or many
 * writers, cost one fsync per batch, not per keystroke. After {@link DocumentLimits#compactAfter} stored
 * updates a compaction task merges them into one, in memory and in the store ({@link DocumentStore#compact}).
 *
 * <p><b>Threading.</b> Every operation runs as a task of the room's {@link SerialExecutor} (virtual threads),
 * one at a time in submission order; callers wait for their task, so store calls block only virtual threads.
 * Fields below are confined to those tasks, except {@code reservations}, guarded by the registry's lock.
 */
final class DocumentRoom {
    private static final Logger log = LoggerFactory.getLogger(DocumentRoom.class);
    /** The empty Yjs update (no structs, empty delete set): what a client with nothing to add sends. */
    static final byte[] EMPTY_UPDATE = {0, 0};
    private static final int MAX_QUEUED_TASKS = 1 << 16;
    /** How long a gap in the relayed sequence numbers may last (a relay still on its way) before the store is read. */
    static final Duration CATCH_UP_AFTER = Duration.ofSeconds(1);

    private enum State { LOADING, READY, FAILED, QUARANTINED, UNLOADED }

    private final String name;
    private final DocumentStore store;
    private final DocumentLimits limits;
    private final DocumentRooms registry;
    private final SerialExecutor serial;

    // Confined to the room's tasks.
    private State state = State.LOADING;
    /** Why the load failed (FAILED, QUARANTINED). */
    private String loadFailure = "";
    /** Bytes of this document in the store (its namespace's quota counts them). */
    private long storedBytes;
    private byte[] base = EMPTY_UPDATE;
    private final List<byte[]> pending = new ArrayList<>();
    private long pendingBytes;
    private byte[] stateVector;
    private long lastSequence;
    /** Store entries that a compaction would merge (1 = already compact). */
    private int storedEntries;
    private boolean compactionQueued;
    /**
     * With a store of contiguous sequence numbers: every update numbered up to this one is in the document;
     * {@code ahead} holds the ranges (first to last) known beyond a gap — updates stored by this node, or
     * relayed by others, while an earlier one is still missing. A compaction covers no more than this.
     */
    private long knownThrough;
    private final TreeMap<Long, Long> ahead = new TreeMap<>();
    private boolean catchUpQueued;
    private final Map<DocumentPeer, DocumentAccess> peers = new LinkedHashMap<>();
    /** Updates waiting for the next batch ({@link #updates}); thread-safe, taken only by room tasks. */
    private final ConcurrentLinkedQueue<Submission> submissions = new ConcurrentLinkedQueue<>();
    private final AwarenessStates awareness = new AwarenessStates();
    /** Whose join loads the room: what the load hook is told; dropped once loaded. */
    private HookCaller loadCaller;
    /** A change not reported to the change hook yet, since {@code firstChange}, last at {@code lastChange} (nanos). */
    private boolean changePending;
    private long firstChange;
    private long lastChange;
    private boolean changeCheckQueued;
    /** Changed since the store hook last heard of it. */
    private boolean storeUnreported;

    /** Peers and API calls holding the room loaded; guarded by the registry's lock. */
    int reservations;
    /** Bytes counted in the registry's loaded total; guarded by the registry's lock. */
    long loadedBytes;
    /** {@link System#nanoTime} of the last reservation or release (least recently used goes first); guarded by the registry's lock. */
    long lastUsed;

    DocumentRoom(String name, DocumentStore store, DocumentLimits limits, DocumentRooms registry, Executor executor,
                 HookCaller loadCaller) {
        this.name = name;
        this.loadCaller = loadCaller;
        this.store = store;
        this.limits = limits;
        this.registry = registry;
        this.serial = new SerialExecutor(executor, MAX_QUEUED_TASKS);
        serial.execute(this::load);
    }

    String name() {
        return name;
    }

    // ---- operations (each waits for its task) -------------------------------------------------------------

    void join(DocumentPeer peer, DocumentAccess access, boolean sendStateVector) {
        run(() -> {
            if (state != State.READY) {
                DocumentRejectedException refusal = notReady();
                peer.close(refusal.error(), refusal.detail());
                return;
            }
            peers.put(peer, access);
            if (sendStateVector) {
                peer.sendStateVector(stateVector());
            }
            byte[] known = awareness.snapshot();
            if (known != null) {
                peer.sendAwareness(known);
            }
        });
    }

    void syncStep1(DocumentPeer peer, byte[] clientStateVector) {
        run(() -> {
            if (!peers.containsKey(peer)) {
                return;
            }
            byte[] missing;
            try {
                missing = YUpdates.diff(merged(), clientStateVector);
            } catch (YjsFormatException e) {
                drop(peer, DocumentError.MALFORMED, "state vector: " + e.getMessage());
                return;
            }
            peer.answerSyncStep1(missing, stateVector());
        });
    }

    /**
     * A peer's updates, in its order: queued for the room's next batch, which takes every update waiting from
     * every peer and stores them in one {@link DocumentStore#appendAll}. Waits until the batch is stored and
     * relayed.
     */
    void updates(DocumentPeer peer, List<byte[]> updates) {
        Submission submission = new Submission(peer, updates, new CompletableFuture<>());
        submissions.add(submission);
        if (!serial.execute(this::applySubmitted)) {
            if (submissions.remove(submission)) {
                log.info("closing {}: document {} has {} tasks waiting", peer.describe(), name, MAX_QUEUED_TASKS);
                peer.close(DocumentError.SLOW, "document " + name + " is overloaded");
                return;
            }
            // An earlier batch task took it after all.
        }
        try {
            submission.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    void awareness(DocumentPeer peer, byte[] update) {
        run(() -> {
            if (!peers.containsKey(peer)) {
                return;
            }
            if (update.length > limits.maxUpdateSize()) {
                drop(peer, DocumentError.UPDATE_TOO_LARGE, "awareness update of " + update.length + " bytes");
                return;
            }
            List<AwarenessStates.Entry> entries;
            try {
                entries = AwarenessStates.decode(update);
            } catch (YjsFormatException e) {
                drop(peer, DocumentError.MALFORMED, "awareness update: " + e.getMessage());
                return;
            }
            if (awareness.apply(entries, peer)) {
                broadcast(peer, p -> p.sendAwareness(update));
                DocumentRelay relay = registry.relay();
                if (relay != null) {
                    relay.awareness(name, update);
                }
            }
        });
    }

    /**
     * Updates another node stored and relayed, {@code first} numbering the first of them (0: not contiguous):
     * into the document and to every peer here, not stored again and not relayed further. Queued; does not wait.
     */
    void relayedUpdates(long first, List<byte[]> updates) {
        boolean queued = serial.execute(() -> {
            long last = first == 0 ? 0 : first + updates.size() - 1;
            if (state != State.READY || (first != 0 && last <= knownThrough)) {
                return; // not ready: a later load reads them; known: the load read them already
            }
            long bytes = updates.stream().mapToLong(u -> u.length).sum();
            registry.namespaces().add(name, bytes);
            lastSequence = Math.max(lastSequence, last);
            take(updates, null);
            noteSequences(first, last);
        });
        if (!queued) {
            log.debug("document {}: relayed updates dropped, {} tasks waiting; read from the store on the next gap",
                    name, MAX_QUEUED_TASKS);
        }
    }

    /** An awareness update relayed from the peers of node {@code fromNode}: to every peer here. Queued. */
    void relayedAwareness(String fromNode, byte[] update) {
        serial.execute(() -> {
            if (state != State.READY) {
                return;
            }
            List<AwarenessStates.Entry> entries;
            try {
                entries = AwarenessStates.decode(update);
            } catch (YjsFormatException e) {
                log.warn("document {}: dropping an awareness update relayed from node {}: {}", name, fromNode,
                        e.getMessage());
                return;
            }
            if (awareness.apply(entries, new AwarenessStates.RemoteNode(fromNode))) {
                broadcast(null, p -> p.sendAwareness(update));
            }
        });
    }

    /** Node {@code nodeId} is gone: the awareness states of its peers are removed here. Queued. */
    void nodeGone(String nodeId) {
        serial.execute(() -> {
            byte[] removal = awareness.removeOwnedBy(new AwarenessStates.RemoteNode(nodeId));
            if (removal != null) {
                log.debug("document {}: removed the awareness of gone node {}", name, nodeId);
                broadcast(null, p -> p.sendAwareness(removal));
            }
        });
    }

    void queryAwareness(DocumentPeer peer) {
        run(() -> {
            byte[] known = awareness.snapshot();
            if (known != null && peers.containsKey(peer) && !peer.sendAwareness(known)) {
                drop(peer, DocumentError.SLOW, "write queue full");
            }
        });
    }

    void leave(DocumentPeer peer) {
        run(() -> {
            if (peers.remove(peer) != null) {
                removeAwareness(peer);
            }
        });
        registry.release(this);
    }

    /** Waits for the load; throws why the room cannot be joined when it failed. */
    void awaitLoaded() throws DocumentRejectedException {
        call(() -> {
            checkReady();
            return null;
        });
    }

    /** The merged document (server API). */
    byte[] document() throws DocumentRejectedException {
        return call(() -> {
            checkReady();
            return merged();
        });
    }

    /** The document's state vector (server API). */
    byte[] stateVectorNow() throws DocumentRejectedException {
        return call(() -> {
            checkReady();
            return stateVector();
        });
    }

    /** An update from the server API: stored and relayed to every peer. */
    void applyFromServer(byte[] update) throws DocumentRejectedException {
        call(() -> {
            checkReady();
            if (check(update, DocumentAccess.READ_WRITE, 0) == null) {
                storeAndRelay(List.of(update), null);
            }
            return null;
        });
    }

    /** Idle since the grace period: compact, then leave the registry unless someone joined meanwhile. */
    void unloadIfIdle() {
        serial.execute(() -> {
            if (state != State.READY || !registry.idle(this)) {
                return;
            }
            compactAndReport();
            if (registry.removeIfIdle(this)) {
                empty();
                log.debug("document {} unloaded", name);
            }
        });
    }

    /**
     * The registry dropped this idle room to make space: compacted (every update is in the store already, this
     * only shortens the log), then emptied. Queued; does not wait.
     */
    void unload() {
        serial.execute(() -> {
            if (state == State.READY) {
                compactAndReport();
            }
            empty();
            log.debug("document {} unloaded to make space", name);
        });
    }

    /** The document was deleted from the store: emptied without writing. Queued; does not wait. */
    void discard() {
        serial.execute(this::empty);
    }

    /** Server shutdown: every peer is closed, the document compacted; waits for it. */
    void shutdown() {
        run(() -> {
            List<DocumentPeer> all = new ArrayList<>(peers.keySet());
            peers.clear();
            all.forEach(p -> p.close(DocumentError.SHUTDOWN, "server shutting down"));
            if (state == State.READY) {
                compactAndReport();
            }
            state = State.UNLOADED;
        });
    }

    // ---- inside tasks -----------------------------------------------------------------------------------

    /** Out of the registry: the memory goes, later tasks find the room unloaded. */
    private void empty() {
        state = State.UNLOADED;
        base = EMPTY_UPDATE;
        pending.clear();
        pendingBytes = 0;
    }

    private void load() {
        try {
            DocumentStore.StoredDocument stored = store.load(name);
            HookCaller caller = loadCaller;
            loadCaller = null;
            if (stored.isEmpty() && registry.hooks().loads(name)) {
                stored = loadFromHook(caller, stored);
            }
            List<byte[]> updates = stored.updates();
            base = switch (updates.size()) {
                case 0 -> EMPTY_UPDATE;
                // A lone update is checked as a merge would read it: a damaged one must not pass as the base.
                case 1 -> validated(updates.getFirst());
                default -> YUpdates.merge(updates);
            };
            lastSequence = stored.lastSequence();
            knownThrough = lastSequence;
            storedEntries = updates.size();
            storedBytes = DocumentRooms.storedBytes(stored);
            state = State.READY;
            registry.health().succeeded();
            registry.resized(this, size());
            log.debug("document {} loaded: {} stored update(s), {} bytes", name, updates.size(), base.length);
            if (storedEntries >= limits.compactAfter()) {
                compact();
            }
        } catch (YjsFormatException e) {
            // Retrying cannot help and every retry would cost a full merge and a log line: set it aside.
            state = State.QUARANTINED;
            loadFailure = "its stored updates do not decode (" + e.getMessage() + ")";
            registry.quarantine(this, loadFailure);
        } catch (DocumentStoreException e) {
            state = State.FAILED;
            loadFailure = e.getMessage();
            registry.health().failed("document " + DocumentNames.forLog(name) + " could not be loaded", e);
            registry.removeFailed(this);
        } catch (DocumentHookException e) {
            // Opening it empty would let its peers edit an empty document that the backend's state never
            // joins (the store is not empty afterwards): refuse, and ask again on the next join.
            state = State.FAILED;
            loadFailure = e.getMessage();
            log.warn("document {} not opened: {}; its peers are refused until the create hook answers",
                    DocumentNames.forLog(name), e.getMessage());
            registry.removeFailed(this);
        } catch (RuntimeException e) {
            state = State.FAILED;
            loadFailure = "internal error";
            log.error("document {} could not be loaded; its peers are refused until it can be",
                    DocumentNames.forLog(name), e);
            registry.removeFailed(this);
        }
    }

    /**
     * The create hook's initial state of a document the store has nothing of: checked like a peer's update, and
     * stored before anyone sees it, so it is applied once however many peers join meanwhile (they wait for this
     * load). With several nodes sharing a store, two may both ask and store it; the same update merged twice is
     * the same document.
     */
    private DocumentStore.StoredDocument loadFromHook(HookCaller caller, DocumentStore.StoredDocument empty)
            throws DocumentHookException, DocumentStoreException {
        byte[] initial = registry.hooks().load(name, caller == null ? HookCaller.SERVER : caller);
        if (initial == null || Arrays.equals(initial, EMPTY_UPDATE)) {
            return empty;
        }
        if (initial.length > limits.maxUpdateSize() || initial.length > limits.maxDocumentSize()) {
            throw new DocumentHookException("create hook: its update of " + initial.length + " bytes is over "
                    + "docs.max_update_size or docs.max_document_size");
        }
        try {
            validated(initial);
        } catch (YjsFormatException e) {
            throw new DocumentHookException("create hook: its update does not decode: " + e.getMessage());
        }
        long sequence = store.appendAll(name, List.of(initial));
        registry.namespaces().add(name, initial.length);
        log.info("document {} created from the create hook's update of {} bytes", DocumentNames.forLog(name),
                initial.length);
        return new DocumentStore.StoredDocument(List.of(initial), sequence);
    }

    private static byte[] validated(byte[] update) throws YjsFormatException {
        YUpdates.merge(List.of(EMPTY_UPDATE, update));
        return update;
    }

    /** Peers' updates waiting for the next batch, each peer's in its order: any thread adds, batch tasks take. */
    private record Submission(DocumentPeer peer, List<byte[]> updates, CompletableFuture<Void> done) {
    }

    /**
     * One batch: every submission waiting. Each update is checked in order (a peer whose update is refused
     * is dropped and its later updates with it), the accepted ones are stored in one append and relayed, then
     * each sender learns what became of each of its updates.
     */
    private void applySubmitted() {
        List<Submission> batch = new ArrayList<>();
        for (Submission next; (next = submissions.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return; // an earlier task took them
        }
        try {
            applyBatch(batch);
            batch.forEach(b -> b.done().complete(null));
        } catch (RuntimeException e) {
            batch.forEach(b -> b.done().completeExceptionally(e));
        }
    }

    private void applyBatch(List<Submission> batch) {
        List<byte[]> accepted = new ArrayList<>();
        List<DocumentPeer> senders = new ArrayList<>();
        Map<Submission, List<DocumentPeer.UpdateResult>> results = new LinkedHashMap<>();
        long acceptedBytes = 0;
        try {
            for (Submission submission : batch) {
                DocumentAccess access = peers.get(submission.peer());
                if (access == null || state != State.READY) {
                    continue;
                }
                List<DocumentPeer.UpdateResult> outcome = new ArrayList<>(submission.updates().size());
                results.put(submission, outcome);
                for (byte[] update : submission.updates()) {
                    DocumentPeer.UpdateResult result;
                    try {
                        result = check(update, access, acceptedBytes);
                    } catch (DocumentRejectedException e) {
                        drop(submission.peer(), e.error(), e.detail());
                        break;
                    }
                    if (result == null) {
                        accepted.add(update);
                        senders.add(submission.peer());
                        acceptedBytes += update.length;
                        result = DocumentPeer.UpdateResult.APPLIED;
                    } else if (result == DocumentPeer.UpdateResult.REJECTED_READ_ONLY) {
                        log.info("dropped an update of {} bytes from read-only {}", update.length,
                                submission.peer().describe());
                    }
                    outcome.add(result);
                }
            }
        } catch (RuntimeException e) {
            registry.namespaces().add(name, -acceptedBytes); // counted by check, never to be stored
            throw e;
        }
        if (!accepted.isEmpty()) {
            try {
                storeAndRelay(accepted, senders);
                log.debug("document {}: stored a batch of {} update(s), {} bytes, from {} peer(s)", name,
                        accepted.size(), acceptedBytes, new LinkedHashSet<>(senders).size());
            } catch (DocumentRejectedException e) {
                new LinkedHashSet<>(senders).forEach(p -> drop(p, e.error(), e.detail()));
            }
        }
        results.forEach((submission, outcome) -> {
            if (peers.containsKey(submission.peer())) {
                outcome.forEach(submission.peer()::updateResult);
            }
        });
    }

    /**
     * Checks an update against the limits, its own encoding, the sender's access and the namespace quota: null
     * when it is to be stored, otherwise what becomes of it without storing. {@code alsoAccepted}: bytes accepted
     * earlier in the same batch and not stored yet, which count towards the document's size. An update to be
     * stored is counted in its namespace's usage at once (so the next one in the batch is checked against it);
     * {@link #storeAndRelay} gives that back if the append fails.
     */
    private DocumentPeer.UpdateResult check(byte[] update, DocumentAccess access, long alsoAccepted)
            throws DocumentRejectedException {
        if (update.length > limits.maxUpdateSize()) {
            throw new DocumentRejectedException(DocumentError.UPDATE_TOO_LARGE, update.length
                    + " bytes, docs.max_update_size is " + limits.maxUpdateSize());
        }
        try {
            // Decodes every struct and the delete set, as every later merge of the document will: an update
            // that a cheaper check (its state vector) lets through could otherwise poison the room and the store.
            validated(update);
        } catch (YjsFormatException e) {
            throw new DocumentRejectedException(DocumentError.MALFORMED, "update: " + e.getMessage());
        }
        if (!access.mayWrite()) {
            return containsNothingNew(update)
                    ? DocumentPeer.UpdateResult.NOTHING_NEW : DocumentPeer.UpdateResult.REJECTED_READ_ONLY;
        }
        if (Arrays.equals(update, EMPTY_UPDATE)) {
            return DocumentPeer.UpdateResult.APPLIED;
        }
        if (size() + alsoAccepted + update.length > limits.maxDocumentSize()) {
            merged(); // pending updates often shrink when merged
            if (size() + alsoAccepted + update.length > limits.maxDocumentSize()) {
                throw new DocumentRejectedException(DocumentError.DOCUMENT_TOO_LARGE, "document " + name + " has "
                        + (size() + alsoAccepted) + " bytes, docs.max_document_size is " + limits.maxDocumentSize());
            }
        }
        NamespaceUsage namespaces = registry.namespaces();
        if (!namespaces.tryAdd(name, update.length)) {
            throw new DocumentRejectedException(DocumentError.NAMESPACE_QUOTA, "namespace '"
                    + namespaces.namespaceOf(name) + "' stores " + namespaces.used(name)
                    + " bytes, docs.max_namespace_size is " + namespaces.max());
        }
        return null;
    }

    /**
     * Stores checked updates in one append, then relays each to every peer but its sender ({@code senders}, in
     * step with {@code updates}; null: from the server API, to everyone). The namespace usage {@link #check}
     * counted for them is given back when the append fails.
     */
    private void storeAndRelay(List<byte[]> updates, List<DocumentPeer> senders) throws DocumentRejectedException {
        long bytes = updates.stream().mapToLong(u -> u.length).sum();
        long last;
        try {
            last = store.appendAll(name, updates);
        } catch (DocumentStoreException e) {
            registry.namespaces().add(name, -bytes);
            registry.health().failed("could not store " + updates.size() + " update(s) of document "
                    + DocumentNames.forLog(name), e);
            throw new DocumentRejectedException(e.diskFull() ? DocumentError.STORE_FULL : DocumentError.STORE_FAILED,
                    e.getMessage());
        } catch (RuntimeException e) {
            registry.namespaces().add(name, -bytes);
            log.error("could not store {} update(s) of document {}", updates.size(), DocumentNames.forLog(name), e);
            throw new DocumentRejectedException(DocumentError.STORE_FAILED, e.getMessage());
        }
        registry.health().succeeded();
        lastSequence = Math.max(lastSequence, last);
        long first = store.sequencesContiguous() ? last - updates.size() + 1 : 0;
        take(updates, senders);
        noteSequences(first, last);
        DocumentRelay relay = registry.relay();
        if (relay != null) {
            relay.updates(name, first, updates);
        }
        noteChange();
    }

    /**
     * Updates stored by this node (not relayed ones: the node that stored them reports them): the change hook
     * hears of them once the document has been quiet for its debounce, or has changed for its max wait.
     */
    private void noteChange() {
        DocumentHooks hooks = registry.hooks();
        storeUnreported = true;
        Duration debounce = hooks.changeDebounce(name);
        if (debounce == null) {
            return;
        }
        long now = System.nanoTime();
        if (!changePending) {
            changePending = true;
            firstChange = now;
        }
        lastChange = now;
        if (!changeCheckQueued) {
            changeCheckQueued = true;
            registry.schedule(this::queueChangeCheck, debounce);
        }
    }

    private void queueChangeCheck() {
        if (!serial.execute(this::changeCheck)) {
            registry.schedule(this::queueChangeCheck, CATCH_UP_AFTER); // the room is swamped: look again later
        }
    }

    /** Reports the change when it is due, else looks again when it will be. */
    private void changeCheck() {
        changeCheckQueued = false;
        if (!changePending || state != State.READY) {
            return;
        }
        DocumentHooks hooks = registry.hooks();
        long due = Math.min(lastChange + hooks.changeDebounce(name).toNanos(),
                firstChange + hooks.changeMaxWait().toNanos());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            changeCheckQueued = true;
            registry.schedule(this::queueChangeCheck, Duration.ofNanos(wait));
            return;
        }
        reportChange();
    }

    private void reportChange() {
        if (changePending) {
            changePending = false;
            registry.hooks().changed(name, merged());
        }
    }

    /** Before unloading: a pending change is reported now, the document compacted, the store hook told. */
    private void compactAndReport() {
        reportChange();
        compact();
        reportStored();
    }

    private void reportStored() {
        DocumentHooks hooks = registry.hooks();
        if (storeUnreported && hooks.reportsStores(name)) {
            storeUnreported = false;
            hooks.stored(name, merged());
        }
    }

    /**
     * Updates that are in the store now (stored here or by another node): into the document, to every peer but
     * their sender ({@code senders}, in step with {@code updates}; null: to everyone), and a compaction queued
     * when the log has grown long.
     */
    private void take(List<byte[]> updates, List<DocumentPeer> senders) {
        storedEntries += updates.size();
        stateVector = null;
        for (int i = 0; i < updates.size(); i++) {
            byte[] update = updates.get(i);
            storedBytes += update.length;
            pending.add(update);
            pendingBytes += update.length;
            broadcast(senders == null ? null : senders.get(i), p -> p.sendUpdate(update));
        }
        registry.resized(this, size());
        if ((storedEntries >= limits.compactAfter() || pending.size() >= limits.compactAfter()) && !compactionQueued) {
            compactionQueued = true;
            serial.execute(() -> {
                compactionQueued = false;
                if (state == State.READY) {
                    compact();
                    reportStored();
                }
            });
        }
    }

    /** With contiguous sequence numbers ({@code first > 0}): updates {@code first..last} are in the document now. */
    private void noteSequences(long first, long last) {
        if (first == 0) {
            return;
        }
        if (first <= knownThrough + 1) {
            knownThrough = Math.max(knownThrough, last);
        } else {
            ahead.merge(first, last, Math::max);
        }
        closeGaps();
    }

    /** Moves {@code knownThrough} past the ranges in {@code ahead} that now follow it; schedules a catch-up if a gap stays. */
    private void closeGaps() {
        for (Map.Entry<Long, Long> next; (next = ahead.firstEntry()) != null && next.getKey() <= knownThrough + 1; ) {
            ahead.pollFirstEntry();
            knownThrough = Math.max(knownThrough, next.getValue());
        }
        if (!ahead.isEmpty() && !catchUpQueued) {
            catchUpQueued = true;
            registry.schedule(() -> serial.execute(this::catchUp), CATCH_UP_AFTER);
        }
    }

    /**
     * A gap has lasted: some update another node stored never reached this one (its relay was lost, or dropped
     * while the broker was slow or down). Reads the document from the store and sends the peers what they lack.
     */
    private void catchUp() {
        catchUpQueued = false;
        if (state != State.READY || ahead.isEmpty()) {
            return;
        }
        try {
            DocumentStore.StoredDocument stored = store.load(name);
            byte[] fromStore = stored.isEmpty() ? EMPTY_UPDATE : YUpdates.merge(stored.updates());
            byte[] missing = YUpdates.diff(fromStore, stateVector());
            base = YUpdates.merge(List.of(merged(), fromStore));
            stateVector = null;
            storedEntries = stored.updates().size();
            storedBytes = DocumentRooms.storedBytes(stored);
            lastSequence = Math.max(lastSequence, stored.lastSequence());
            knownThrough = Math.max(knownThrough, stored.lastSequence());
            ahead.headMap(knownThrough, true).clear();
            registry.health().succeeded();
            registry.resized(this, size());
            log.info("document {}: read the updates other nodes stored up to #{} that did not reach this node",
                    DocumentNames.forLog(name), knownThrough);
            if (!Arrays.equals(missing, EMPTY_UPDATE)) {
                broadcast(null, p -> p.sendUpdate(missing));
            }
            closeGaps();
        } catch (DocumentStoreException e) {
            registry.health().failed("could not read document " + DocumentNames.forLog(name) + " to catch up", e);
            catchUpQueued = true;
            registry.schedule(() -> serial.execute(this::catchUp), CATCH_UP_AFTER);
        } catch (YjsFormatException e) {
            log.warn("document {}: its stored updates do not merge; not caught up", DocumentNames.forLog(name), e);
        }
    }

    /**
     * Whether a read-only peer's update holds nothing the document lacks (typically its SyncStep2 after our
     * SyncStep1): no struct beyond our state vector, and merging it changes nothing (its deletions are known).
     */
    private boolean containsNothingNew(byte[] update) throws DocumentRejectedException {
        try {
            Map<Long, Long> ours = decodeStateVector(stateVector());
            for (Map.Entry<Long, Long> e : decodeStateVector(YUpdates.stateVector(update)).entrySet()) {
                if (e.getValue() > ours.getOrDefault(e.getKey(), 0L)) {
                    return false;
                }
            }
            byte[] current = merged();
            return Arrays.equals(YUpdates.merge(List.of(current, update)),
                    YUpdates.merge(List.of(current, EMPTY_UPDATE)));
        } catch (YjsFormatException e) {
            throw new DocumentRejectedException(DocumentError.MALFORMED, "update: " + e.getMessage());
        }
    }

    private static Map<Long, Long> decodeStateVector(byte[] sv) throws YjsFormatException {
        Lib0Reader in = new Lib0Reader(sv);
        int count = in.readLength();
        Map<Long, Long> clocks = new HashMap<>();
        for (int i = 0; i < count; i++) {
            clocks.put(in.readVarUint(), in.readVarUint());
        }
        return clocks;
    }

    /** The whole document as one update, merging pending updates into the base first. */
    private byte[] merged() {
        if (!pending.isEmpty()) {
            List<byte[]> all = new ArrayList<>(pending.size() + 1);
            all.add(base);
            all.addAll(pending);
            try {
                base = YUpdates.merge(all);
            } catch (YjsFormatException e) {
                // Every pending update passed validation; failing now is a codec bug, not bad input.
                throw new IllegalStateException("validated updates of " + name + " do not merge", e);
            }
            pending.clear();
            pendingBytes = 0;
            registry.resized(this, size());
        }
        return base;
    }

    private byte[] stateVector() {
        if (stateVector == null) {
            try {
                stateVector = YUpdates.stateVector(merged());
            } catch (YjsFormatException e) {
                throw new IllegalStateException("merged state of " + name + " does not decode", e);
            }
        }
        return stateVector;
    }

    private long size() {
        return base.length + pendingBytes;
    }

    /** Merges in memory and, when the store holds more than one entry, replaces them by the merge. */
    private void compact() {
        byte[] whole = merged();
        if (storedEntries <= 1) {
            return;
        }
        try {
            // With several nodes appending, only what is known to be in the document may be replaced by it.
            store.compact(name, store.sequencesContiguous() ? knownThrough : lastSequence, whole);
            registry.namespaces().add(name, whole.length - storedBytes);
            storedBytes = whole.length;
            log.debug("document {} compacted: {} stored update(s) into {} bytes", name, storedEntries, whole.length);
            storedEntries = 1;
        } catch (DocumentStoreException | RuntimeException e) {
            log.warn("could not compact document {} (its updates stay as they are)", name, e);
        }
    }

    private void checkReady() throws DocumentRejectedException {
        if (state != State.READY) {
            throw notReady();
        }
    }

    private DocumentRejectedException notReady() {
        return switch (state) {
            case QUARANTINED -> new DocumentRejectedException(DocumentError.QUARANTINED,
                    "document " + name + ": " + loadFailure);
            case UNLOADED -> new DocumentRejectedException(DocumentError.SHUTDOWN, "server shutting down");
            default -> new DocumentRejectedException(DocumentError.STORE_FAILED,
                    "document " + name + " could not be loaded: " + loadFailure);
        };
    }

    private interface Send {
        boolean to(DocumentPeer peer);
    }

    /** Sends to every peer but {@code except}; peers whose queue is full are dropped as slow. */
    private void broadcast(DocumentPeer except, Send send) {
        List<DocumentPeer> slow = null;
        for (DocumentPeer p : peers.keySet()) {
            if (p != except && !send.to(p)) {
                if (slow == null) {
                    slow = new ArrayList<>();
                }
                slow.add(p);
            }
        }
        if (slow != null) {
            slow.forEach(p -> drop(p, DocumentError.SLOW, "write queue full"));
        }
    }

    /** Ends a peer's membership: removed, its awareness removed for the others, closed with {@code error}. */
    private void drop(DocumentPeer peer, DocumentError error, String detail) {
        if (peers.remove(peer) == null) {
            return;
        }
        if (error == DocumentError.SLOW) {
            // The transport that refused the write has logged it (DocumentPeer#sendUpdate).
            log.debug("closing {} in document {}: {} ({})", peer.describe(), name, error.reason(), detail);
        } else {
            log.info("closing {} in document {}: {} ({})", peer.describe(), name, error.reason(), detail);
        }
        removeAwareness(peer);
        peer.close(error, detail);
    }

    private void removeAwareness(DocumentPeer peer) {
        byte[] removal = awareness.removeOwnedBy(peer);
        if (removal != null) {
            broadcast(peer, p -> p.sendAwareness(removal));
            DocumentRelay relay = registry.relay();
            if (relay != null) {
                relay.awareness(name, removal);
            }
        }
    }

    // ---- task plumbing ----------------------------------------------------------------------------------

    private void run(Runnable task) {
        try {
            call(() -> {
                task.run();
                return null;
            });
        } catch (DocumentRejectedException e) {
            throw new IllegalStateException(e); // Runnables cannot throw it
        }
    }

    private <T> T call(Callable<T> task) throws DocumentRejectedException {
        CompletableFuture<T> done = new CompletableFuture<>();
        boolean queued = serial.execute(() -> {
            try {
                done.complete(task.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued) {
            throw new DocumentRejectedException(DocumentError.SLOW, "document " + name + " is overloaded");
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DocumentRejectedException rejected) {
                throw rejected;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
