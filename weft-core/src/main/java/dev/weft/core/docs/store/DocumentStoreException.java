package dev.weft.core.docs.store;

/**
 * A document store could not read or write: disk full, file not writable, database corrupt, store closed.
 * The message names the document (when there is one), the file or service and the reason; {@link #diskFull()}
 * tells a full disk (or a store at its size cap) apart, since only freeing space helps then.
 */
public final class DocumentStoreException extends Exception {
    private final boolean diskFull;

    public DocumentStoreException(String message, Throwable cause, boolean diskFull) {
        super(message, cause);
        this.diskFull = diskFull;
    }

    public DocumentStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public DocumentStoreException(String message) {
        this(message, null, false);
    }

    /** Whether the write failed because the disk (or the store's size cap) is full. */
    public boolean diskFull() {
        return diskFull;
    }
}
