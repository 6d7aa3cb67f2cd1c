package dev.weft.core.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The other nodes of the cluster as their heartbeats describe them. A node not heard from for
 * {@link #GONE_AFTER_NANOS} is gone ({@link #expire}), as is one that said goodbye. Thread-safe.
 */
public final class NodeRegistry {
    /** Heartbeat period. */
    public static final long HEARTBEAT_NANOS = 3_000_000_000L;
    /** Silence after which a node is gone: three heartbeats and a margin. */
    public static final long GONE_AFTER_NANOS = 10_000_000_000L;

    private record Seen(NodeInfo info, long atNanos) {
    }

    private final Map<String, Seen> nodes = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public NodeRegistry(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records a heartbeat; true when the node was not known (it joined, or came back). */
    public boolean heard(NodeInfo info) {
        return nodes.put(info.id(), new Seen(info, nanoTime.getAsLong())) == null;
    }

    /** Forgets a node that said goodbye; true if it was known. */
    public boolean left(String nodeId) {
        return nodes.remove(nodeId) != null;
    }

    /** Whether the node is known and not expired. */
    public boolean knows(String nodeId) {
        return nodes.containsKey(nodeId);
    }

    /** Ids of the other known nodes. */
    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** The other known nodes as they last described themselves. */
    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        nodes.values().forEach(s -> out.add(s.info()));
        return out;
    }

    /** Removes the nodes silent for longer than {@link #GONE_AFTER_NANOS} and returns their ids. */
    public List<String> expire() {
        long now = nanoTime.getAsLong();
        List<String> gone = new ArrayList<>();
        nodes.forEach((id, seen) -> {
            if (now - seen.atNanos() > GONE_AFTER_NANOS && nodes.remove(id, seen)) {
                gone.add(id);
            }
        });
        return gone;
    }
}
