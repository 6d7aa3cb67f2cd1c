package dev.weft.server.metrics;

import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.docs.store.DocumentStoreException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link DocumentStore} that times appends and compactions and records the size of every stored update. */
final class MeteredDocumentStore implements DocumentStore {
    private final DocumentStore store;
    private final Timer appends;
    private final Timer compactions;
    private final DistributionSummary updateSizes;

    MeteredDocumentStore(DocumentStore store, MeterRegistry registry) {
        this.store = store;
        this.appends = Timer.builder("weft.docs.store.append.duration")
                .description("Batches of document updates written to the store")
                .serviceLevelObjectives(Buckets.LATENCY).register(registry);
        this.compactions = Timer.builder("weft.docs.store.compaction.duration")
                .description("Documents compacted into one merged update in the store")
                .serviceLevelObjectives(Buckets.LATENCY).register(registry);
        this.updateSizes = DistributionSummary.builder("weft.docs.update.size").baseUnit("bytes")
                .description("Document updates accepted from peers and stored")
                .serviceLevelObjectives(Buckets.SIZE).register(registry);
    }

    @Override
    public StoredDocument load(String document) throws DocumentStoreException {
        return store.load(document);
    }

    @Override
    public long appendAll(String document, List<byte[]> updates) throws DocumentStoreException {
        long started = System.nanoTime();
        long sequence = store.appendAll(document, updates);
        appends.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        for (byte[] update : updates) {
            updateSizes.record(update.length);
        }
        return sequence;
    }

    @Override
    public void compact(String document, long upToSequence, byte[] merged) throws DocumentStoreException {
        long started = System.nanoTime();
        store.compact(document, upToSequence, merged);
        compactions.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delete(String document) throws DocumentStoreException {
        store.delete(document);
    }

    @Override
    public List<String> documents() throws DocumentStoreException {
        return store.documents();
    }

    @Override
    public Map<String, Long> storedSizes() throws DocumentStoreException {
        return store.storedSizes();
    }

    @Override
    public void check() throws DocumentStoreException {
        store.check();
    }

    @Override
    public void close() {
        store.close();
    }
}
