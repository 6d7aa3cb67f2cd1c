package dev.weft.server.docs;

import dev.weft.core.docs.DocumentPeer;

/**
 * The part of a {@link DocumentPeer} both dialects share: the room's state vector, updates and awareness
 * become {@link DocumentFrames} behind the dialect's address prefix (none for y-websocket, the document's
 * address for Hocuspocus) and go out on the connection's {@link DocumentSocket}.
 */
public abstract class FramedPeer implements DocumentPeer {
    protected final DocumentSocket socket;
    protected final byte[] prefix;

    protected FramedPeer(DocumentSocket socket, byte[] prefix) {
        this.socket = socket;
        this.prefix = prefix;
    }

    @Override
    public void sendStateVector(byte[] stateVector) {
        socket.send(DocumentFrames.sync(prefix, DocumentFrames.SYNC_STEP1, stateVector));
    }

    @Override
    public void answerSyncStep1(byte[] missing, byte[] stateVector) {
        socket.send(DocumentFrames.sync(prefix, DocumentFrames.SYNC_STEP2, missing));
    }

    @Override
    public boolean sendUpdate(byte[] update) {
        socket.traffic().updateRelayed(update.length);
        return socket.send(DocumentFrames.relayed(prefix, DocumentFrames.SYNC, update));
    }

    @Override
    public boolean sendAwareness(byte[] awarenessUpdate) {
        socket.traffic().awarenessRelayed(awarenessUpdate.length);
        return socket.send(DocumentFrames.relayed(prefix, DocumentFrames.AWARENESS, awarenessUpdate));
    }
}
