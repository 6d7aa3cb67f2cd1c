package dev.weft.core.docs;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Bytes the store holds per channel namespace (the sum of the stored updates of its documents, as they are
 * after compaction), against {@link DocumentLimits#maxNamespaceSize}. Counted from the store once, when the
 * rooms start ({@link DocumentStore#storedSizes}); then rooms report what they append, compact and delete.
 * Off (counts nothing, refuses nothing) when the quota is 0.
 *
 * <p>Thread-safe: one {@link AtomicLong} per namespace; a reservation is a compare-and-set, so concurrent appends
 * in one namespace never pass the quota together.
 */
final class NamespaceUsage {
    private final long max;
    private final UnaryOperator<String> namespaceOf;
    private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

    private NamespaceUsage(long max, UnaryOperator<String> namespaceOf) {
        this.max = max;
        this.namespaceOf = namespaceOf;
    }

    static NamespaceUsage of(DocumentStore store, long max, UnaryOperator<String> namespaceOf) {
        NamespaceUsage usage = new NamespaceUsage(max, namespaceOf);
        if (max > 0) {
            try {
                store.storedSizes().forEach(usage::add);
            } catch (DocumentStoreException e) {
                throw new IllegalStateException("docs.max_namespace_size: cannot count what the store holds: "
                        + e.getMessage(), e);
            }
        }
        return usage;
    }

    boolean enabled() {
        return max > 0;
    }

    String namespaceOf(String document) {
        return namespaceOf.apply(document);
    }

    /** Counts {@code bytes} more for {@code document}'s namespace, unless that passes the quota (then false). */
    boolean tryAdd(String document, long bytes) {
        if (max == 0) {
            return true;
        }
        AtomicLong counter = counter(document);
        long now;
        do {
            now = counter.get();
            if (now + bytes > max) {
                return false;
            }
        } while (!counter.compareAndSet(now, now + bytes));
        return true;
    }

    /** Counts a change that is already made (a compaction, a delete, an append given back). */
    void add(String document, long delta) {
        if (max > 0 && delta != 0) {
            counter(document).addAndGet(delta);
        }
    }

    /** Bytes counted for {@code document}'s namespace. */
    long used(String document) {
        AtomicLong counter = used.get(namespaceOf(document));
        return counter == null ? 0 : counter.get();
    }

    long max() {
        return max;
    }

    private AtomicLong counter(String document) {
        return used.computeIfAbsent(namespaceOf(document), n -> new AtomicLong());
    }
}
