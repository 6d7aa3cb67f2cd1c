package dev.weft.core.docs.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DocumentStore} in this process's heap: nothing survives a restart. For tests, development and
 * nodes that are told to keep no data. Thread-safe: each document's log is changed only inside
 * {@link ConcurrentHashMap#compute}, which serialises the calls for one document and lets different
 * documents proceed in parallel.
 */
public final class MemoryDocumentStore implements DocumentStore {

    /**
     * The last sequence number of each document ever written, kept after a delete so no number is reused;
     * changed only inside the document's {@code compute} on {@link #logs}, so numbers are contiguous per document.
     */
    private final Map<String, Long> lastSequences = new ConcurrentHashMap<>();
    private final Map<String, List<Stored>> logs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Stored(long sequence, byte[] update) {}

    @Override
    public StoredDocument load(String document) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        checkOpen();
        List<byte[]> updates = new ArrayList<>();
        long[] last = {0};
        logs.computeIfPresent(document, (name, log) -> {
            for (Stored stored : log) {
                updates.add(stored.update().clone());
            }
            last[0] = log.getLast().sequence();
            return log;
        });
        return new StoredDocument(updates, last[0]);
    }

    @Override
    public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        checkOpen();
        List<byte[]> copies = updates.stream().map(byte[]::clone).toList();
        long[] sequence = {0};
        logs.compute(document, (name, log) -> {
            List<Stored> target = log == null ? new ArrayList<>() : log;
            sequence[0] = lastSequences.getOrDefault(name, 0L);
            for (byte[] copy : copies) {
                target.add(new Stored(++sequence[0], copy));
            }
            lastSequences.put(name, sequence[0]);
            return target;
        });
        return sequence[0];
    }

    /** Appends to one document are serialised by its {@code compute}. */
    @Override
    public boolean sequencesContiguous() {
        return true;
    }

    @Override
    public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        checkOpen();
        byte[] copy = merged.clone();
        logs.computeIfPresent(document, (name, log) -> {
            int replaced = 0;
            while (replaced < log.size() && log.get(replaced).sequence() <= upToSequence) {
                replaced++;
            }
            if (replaced > 0) {
                long mergedSequence = log.get(replaced - 1).sequence();
                log.subList(0, replaced).clear();
                log.addFirst(new Stored(mergedSequence, copy));
            }
            return log;
        });
    }

    @Override
    public void delete(String document) throws DocumentStoreException {
        Objects.requireNonNull(document, "document");
        checkOpen();
        logs.remove(document);
    }

    @Override
    public List<String> documents() throws DocumentStoreException {
        checkOpen();
        return logs.keySet().stream().sorted().toList();
    }

    @Override
    public Map<String, Long> storedSizes() throws DocumentStoreException {
        checkOpen();
        Map<String, Long> sizes = new TreeMap<>();
        for (String document : logs.keySet()) {
            logs.computeIfPresent(document, (name, log) -> {
                sizes.put(name, log.stream().mapToLong(s -> s.update().length).sum());
                return log;
            });
        }
        return sizes;
    }

    @Override
    public void check() throws DocumentStoreException {
        checkOpen();
    }

    @Override
    public void close() {
        closed = true;
        logs.clear();
        lastSequences.clear();
    }

    private void checkOpen() throws DocumentStoreException {
        if (closed) {
            throw new DocumentStoreException("the in-memory document store is closed");
        }
    }
}
