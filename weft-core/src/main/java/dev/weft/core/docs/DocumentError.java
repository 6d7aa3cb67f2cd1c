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
