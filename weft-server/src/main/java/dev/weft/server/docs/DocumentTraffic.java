package dev.weft.server.docs;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the document endpoints relayed to peers: updates and awareness messages, counted and summed in bytes
 * (awareness fan-out is what no Yjs server shows). Read by the metrics at scrape time. Thread-safe.
 */
public final class DocumentTraffic {
    private final LongAdder updates = new LongAdder();
    private final LongAdder updateBytes = new LongAdder();
    private final LongAdder awareness = new LongAdder();
    private final LongAdder awarenessBytes = new LongAdder();

    void updateRelayed(int bytes) {
        updates.increment();
        updateBytes.add(bytes);
    }

    void awarenessRelayed(int bytes) {
        awareness.increment();
        awarenessBytes.add(bytes);
    }

    /** Updates sent to peers (one per peer that received it). */
    public long updates() {
        return updates.sum();
    }

    public long updateBytes() {
        return updateBytes.sum();
    }

    /** Awareness messages sent to peers (one per peer that received it). */
    public long awareness() {
        return awareness.sum();
    }

    public long awarenessBytes() {
        return awarenessBytes.sum();
    }
}
