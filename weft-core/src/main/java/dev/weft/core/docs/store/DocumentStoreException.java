package dev.weft.core.docs.store;

/**
 * A document store could not read or write: disk full, file not writable, database corrupt, store closed.
 * The message names the document (when there is one), the file or service and the reason.
 */
public final class DocumentStoreException extends Exception {
    public DocumentStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public DocumentStoreException(String message) {
        super(message);
    }
}
