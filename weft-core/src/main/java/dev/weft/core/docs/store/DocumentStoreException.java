package dev.weft.core.docs.store;

/** A document store could not read or write (disk full, database gone, corrupt file). */
public final class DocumentStoreException extends Exception {
  public DocumentStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public DocumentStoreException(String message) {
    super(message);
  }
}
