package dev.weft.core.docs;

/**
 * What a transport gives a document room for one peer (a y-websocket connection, or one document of a
 * Hocuspocus connection): the room calls these with y-protocols payloads and the dialect frames them.
 *
 * <p>The room calls every method from its own serial execution, so calls for one peer never overlap and
 * arrive in the room's order; implementations must not block (queue the write and return). A write the
 * transport cannot queue ends the connection (logged), whichever method made it.
 */
public interface DocumentPeer {

    /** The server's state vector, sent first on joining when the dialect asks for it (y-websocket's SyncStep1). */
    void sendStateVector(byte[] stateVector);

    /**
     * The answer to the peer's SyncStep1: {@code missing} (SyncStep2, what the peer lacks) and the server's
     * {@code stateVector}, for dialects that ask the peer back (Hocuspocus sends its SyncStep1 too).
     */
    void answerSyncStep1(byte[] missing, byte[] stateVector);

    /**
     * An update from another peer or the server API.
     *
     * @return false when the peer's bounded write queue refused it; the transport has then logged it and is
     *     closing the connection, and the room ends the peer as {@link DocumentError#SLOW}. A transport must
     *     never drop a message and go on.
     */
    boolean sendUpdate(byte[] update);

    /** An awareness update (y-protocols encoding) from other peers; false when the write queue is full. */
    boolean sendAwareness(byte[] awarenessUpdate);

    /** What became of an update this peer sent (Hocuspocus answers with SyncStatus). */
    void updateResult(UpdateResult result);

    /** The room ends this peer's membership; the peer has already been removed from the room. */
    void close(DocumentError error, String detail);

    /** Who this is, for log lines (address, document). */
    String describe();

    /** What the room did with an update a peer sent. */
    enum UpdateResult {
        /** Stored durably and sent to the other peers. */
        APPLIED,
        /** A read-only peer sent nothing the document lacks (its part of a sync): acknowledged, nothing stored. */
        NOTHING_NEW,
        /** A read-only peer tried to change the document: dropped, never stored or relayed. */
        REJECTED_READ_ONLY
    }
}
