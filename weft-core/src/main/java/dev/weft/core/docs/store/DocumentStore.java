package dev.weft.core.docs.store;

import java.util.List;
import java.util.Map;

/**
 * Durable storage of collaborative documents as an append-only log of encoded updates per document.
 *
 * <p>The store does not interpret the bytes it keeps: a room appends each update it accepts and, from time to
 * time, replaces a prefix of the log by one merged update ({@link #compact}). Loading returns the log in append
 * order, so applying every returned update rebuilds the document.
 *
 * <p>Calls block (disk, JDBC): make them from virtual threads or a dedicated executor, never from an event
 * loop. Implementations are thread-safe. Calls for one document come from one room at a time, but a room's
 * background compaction may run while the same room appends; different documents are used concurrently.
 *
 * <p>Sequence numbers are positive, increase with every append to a document and are never handed out twice
 * for the same document name, not even after {@link #delete}: a compaction computed before a delete can
 * therefore never remove updates appended after it. They need not be contiguous.
 *
 * <p>Document names are any well-formed Unicode string (room names may contain {@code /}, spaces, quotes and
 * any character outside the BMP; unpaired surrogates are not allowed, as stores keep names as UTF-8). They are
 * compared exactly, code unit by code unit.
 */
public interface DocumentStore extends AutoCloseable {

    /** Every stored update of {@code document} in append order; empty (last sequence 0) when unknown. */
    StoredDocument load(String document) throws DocumentStoreException;

    /**
     * Appends one update. When this returns, the update is durable (it survives a crash of the process or of
     * the machine, as far as the storage medium keeps its promises) and will be part of every later
     * {@link #load}. Returns its sequence number. {@link #appendAll} of one update.
     */
    default long append(String document, byte[] update) throws DocumentStoreException {
        return appendAll(document, List.of(update));
    }

    /**
     * Appends {@code updates} (at least one) in order, atomically and durably in one go: when this returns,
     * every one of them is durable, in this order, with increasing sequence numbers; when it throws, none of
     * them is stored. One durable write for the batch, not one per update: how a room keeps up with a fast
     * writer. Returns the sequence number of the last.
     */
    long appendAll(String document, List<byte[]> updates) throws DocumentStoreException;

    /**
     * Replaces the stored updates with sequence numbers {@code <= upToSequence} by {@code merged}, atomically.
     * The merged update takes the place (and the greatest sequence number) of the updates it replaces; updates
     * appended after {@code upToSequence} stay, after it, even if they were appended while the caller was
     * merging. When nothing is stored at or below {@code upToSequence} (the document was deleted, or a later
     * compaction already covered the range) nothing changes.
     */
    void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException;

    /** Removes a document and all its updates; unknown documents are ignored. */
    void delete(String document) throws DocumentStoreException;

    /** Names of the stored documents (those with at least one update), in {@link String#compareTo} order. */
    List<String> documents() throws DocumentStoreException;

    /**
     * Bytes stored per document (the sum of its updates' lengths), for every stored document: what namespace
     * quotas start counting from. One pass over the store.
     */
    Map<String, Long> storedSizes() throws DocumentStoreException;

    /**
     * Whether the sequence numbers of each document are contiguous, whoever appends (several nodes sharing the
     * store): every append's first number follows the document's previous last one, and a number visible to a
     * {@link #load} implies every smaller one is. Then a node that is told of updates other nodes appended (the
     * cluster relay) can tell from a gap that it missed some, and read them here. False by default.
     */
    default boolean sequencesContiguous() {
        return false;
    }

    /**
     * Checks that the store can be used now — for a SQLite file: a small write transaction, committed — so
     * readiness can tell when a failing store works again. Cheap; throws what an append would.
     */
    void check() throws DocumentStoreException;

    /**
     * Releases files and connections; idempotent. Calls made after it (or still waiting for the store when it
     * closes) fail with a {@link DocumentStoreException}.
     */
    @Override
    void close();

    /**
     * The stored updates of one document in append order and the sequence number of the last one (0 when
     * there is none). The list is unmodifiable; the arrays are the caller's.
     */
    record StoredDocument(List<byte[]> updates, long lastSequence) {
        public StoredDocument {
            updates = List.copyOf(updates);
        }

        public boolean isEmpty() {
            return updates.isEmpty();
        }
    }
}
