package dev.weft.core.docs.store;

import java.util.List;

/**
 * Durable storage of collaborative documents as an append-only log of encoded updates per document.
 * Calls block (disk, JDBC): call them from virtual threads, never from an event loop. Implementations are
 * thread-safe; calls for one document are issued by one room at a time.
 */
public interface DocumentStore extends AutoCloseable {

  /** Every stored update of {@code document} in append order; empty when the document is unknown. */
  StoredDocument load(String document) throws DocumentStoreException;

  /** Appends one update durably (on disk when this returns) and returns its sequence number (increasing per document). */
  long append(String document, byte[] update) throws DocumentStoreException;

  /**
   * Replaces the updates with sequence numbers {@code <= upToSequence} by {@code merged} (compaction);
   * updates appended after {@code upToSequence} are kept, after it.
   */
  void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException;

  /** Removes a document and all its updates; unknown documents are ignored. */
  void delete(String document) throws DocumentStoreException;

  /** Names of stored documents, sorted. */
  List<String> documents() throws DocumentStoreException;

  @Override
  void close();

  /** The stored updates of one document and the sequence number of the last one (0 when empty). */
  record StoredDocument(List<byte[]> updates, long lastSequence) {
    public StoredDocument {
      updates = List.copyOf(updates);
    }
  }
}
