package dev.weft.bench.target;

/**
 * A server's memory at one moment, measured after a full GC where the runtime allows one: resident set
 * from /proc, and the runtime's own heap and off-heap ("direct") use where it reports them (-1 when not).
 */
public record MemorySample(long rssBytes, long heapBytes, long directBytes) {

    /** Heap plus direct memory, or -1 when the runtime does not report them. */
    public long managedBytes() {
        return heapBytes < 0 ? -1 : heapBytes + Math.max(0, directBytes);
    }
}
