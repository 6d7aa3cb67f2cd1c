package dev.weft.core.docs;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One peer's membership in a room, as {@link DocumentRooms#join} hands it to the transport: the y-protocols
 * messages the peer sent, passed to the room. Each call waits until the room has handled the message (so a
 * connection's messages are applied in order and a fast sender is held back by its own connection, not queued
 * without bound) and must therefore run on a virtual thread, never on an event loop.
 *
 * <p>Thread-safe; calls after {@link #leave} do nothing.
 */
public final class DocumentSession {
    private final DocumentRoom room;
    private final String document;
    private final DocumentPeer peer;
    private final AtomicBoolean left;

    DocumentSession(DocumentRoom room, DocumentPeer peer) {
        this.room = room;
        this.document = room.name();
        this.peer = peer;
        this.left = new AtomicBoolean();
    }

    private DocumentSession(String document, DocumentPeer peer) {
        this.room = null;
        this.document = document;
        this.peer = peer;
        this.left = new AtomicBoolean(true);
    }

    /** A session that was refused before joining (node shutting down): every call does nothing. */
    static DocumentSession detached(String document, DocumentPeer peer) {
        return new DocumentSession(document, peer);
    }

    /** The peer's SyncStep1 (its state vector): the room answers with what the peer lacks. */
    public void syncStep1(byte[] stateVector) {
        if (!left.get()) {
            room.syncStep1(peer, stateVector);
        }
    }

    /** The peer's SyncStep2 or Update: validated, stored, relayed (or refused; see {@link DocumentPeer}). */
    public void update(byte[] update) {
        updates(List.of(update));
    }

    /**
     * Several SyncStep2s or Updates the peer sent in a row, in order: handled as {@link #update} each, but
     * stored together (with whatever other peers submitted meanwhile) and waited for once.
     */
    public void updates(List<byte[]> updates) {
        if (!left.get() && !updates.isEmpty()) {
            room.updates(peer, updates);
        }
    }

    /** The peer's awareness update: remembered and relayed to the others. */
    public void awareness(byte[] awarenessUpdate) {
        if (!left.get()) {
            room.awareness(peer, awarenessUpdate);
        }
    }

    /** The peer asks for every known awareness state. */
    public void queryAwareness() {
        if (!left.get()) {
            room.queryAwareness(peer);
        }
    }

    /** The peer is gone (connection closed, document closed): its awareness states are removed for the others. */
    public void leave() {
        if (left.compareAndSet(false, true)) {
            room.leave(peer);
        }
    }

    /** The room's name. */
    public String document() {
        return document;
    }
}
