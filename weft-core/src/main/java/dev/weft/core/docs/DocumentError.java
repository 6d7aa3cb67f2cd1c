package dev.weft.core.docs;

/**
 * Why the server ends a peer's membership in a document room, with the WebSocket close code the dialects use
 * for it (Hocuspocus's own codes where it has one: 4401, 4403; RFC 6455 codes otherwise).
 */
public enum DocumentError {
    /** The token is missing, invalid, expired or revoked. */
    UNAUTHORIZED(4401, "unauthorized"),
    /** The token is fine but does not grant access to this document. */
    FORBIDDEN(4403, "forbidden"),
    /** A frame or update that does not decode (lib0, y-protocols or Yjs update format). */
    MALFORMED(1007, "malformed message"),
    /** One update larger than {@code docs.max_update_size}. */
    UPDATE_TOO_LARGE(1009, "update too large"),
    /** Applying the update would take the document past {@code docs.max_document_size}. */
    DOCUMENT_TOO_LARGE(4413, "document too large"),
    /** The peer does not read what it is sent, or sends faster than the room can apply. */
    SLOW(1013, "slow peer"),
    /** The document store failed: nothing more is acknowledged until the peer reconnects. */
    STORE_FAILED(1011, "document store failed"),
    /** The document store's disk is full (or its file reached its size cap): the update was not stored. */
    STORE_FULL(4507, "document store full"),
    /**
     * The stored document does not decode: it is quarantined (not loaded again) until an operator deletes it
     * ({@code DELETE /api/docs/<room>}).
     */
    QUARANTINED(4422, "document quarantined"),
    /** Storing the update would take the document's namespace past {@code docs.max_namespace_size}. */
    NAMESPACE_QUOTA(4413, "namespace quota exceeded"),
    /** The connection already holds {@code client.channel_limit} documents open (Hocuspocus). */
    DOCUMENT_LIMIT(4429, "too many documents"),
    /**
     * The node holds {@code docs.max_loaded_size} bytes of documents with peers and cannot load another one;
     * idle documents were unloaded first.
     */
    NODE_BUSY(1013, "node busy"),
    /** A server bug met while handling the peer (logged with its stack trace). */
    INTERNAL(1011, "internal error"),
    /** The server is shutting down. */
    SHUTDOWN(1001, "server shutdown");

    private final int closeCode;
    private final String reason;

    DocumentError(int closeCode, String reason) {
        this.closeCode = closeCode;
        this.reason = reason;
    }

    /** The WebSocket close code. */
    public int closeCode() {
        return closeCode;
    }

    /** Short reason for the close frame. */
    public String reason() {
        return reason;
    }
}
