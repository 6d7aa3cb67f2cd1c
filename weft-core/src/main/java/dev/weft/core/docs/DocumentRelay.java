package dev.weft.core.docs;

import dev.weft.core.control.Cluster;
import dev.weft.core.limits.LogThrottle;
import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Document updates and awareness between the nodes of a cluster that serve the same room, over the cluster's
 * control bus ({@link Cluster#attach}): each node stores what its own peers send, then tells the others, whose
 * loaded rooms pass it to their peers without storing it again — and never relay it further, so nothing loops.
 * Nodes that do not have the room loaded drop the frame (they load the document from the shared store when a
 * peer joins).
 *
 * <p><b>Frames</b> (kind {@link #KIND}, then a type byte, then y-protocols' lib0 encoding; the Yjs bytes travel
 * as they are, never decoded or re-encoded on the way):
 * <ul>
 *   <li>{@link #UPDATES}: varString room, varUint first sequence number of the batch in the store (0 when the
 *       store's numbers are not contiguous), varUint count, then each update as a varUint8Array;</li>
 *   <li>{@link #AWARENESS}: varString room, then the awareness update as the peer sent it.</li>
 * </ul>
 *
 * <p><b>Losses.</b> The bus delivers at most once and drops when its bounded send queue is full or the broker is
 * down, so nothing here queues without bound. A room tells a missed update by the gap in the sequence numbers
 * and reads it from the store ({@code DocumentRoom}); awareness is sent again by the clients on their next change.
 * When a node goes (silent for ~10 s, or saying goodbye), every room removes the awareness states its peers had
 * announced and tells its own peers.
 *
 * <p>Thread-safe: incoming frames are handed to the rooms' serial execution.
 */
public final class DocumentRelay implements Cluster.FrameListener {
    private static final Logger log = LoggerFactory.getLogger(DocumentRelay.class);
    /** The first byte of every document frame on the control bus. */
    public static final byte KIND = 'y';
    static final byte UPDATES = 0;
    static final byte AWARENESS = 1;

    private final DocumentRooms rooms;
    private final LogThrottle badFrames = new LogThrottle(Duration.ofSeconds(10));
    private volatile Cluster.FrameChannel channel;

    private DocumentRelay(DocumentRooms rooms) {
        this.rooms = rooms;
    }

    /**
     * Relays the documents of {@code rooms} to the other nodes, attached to the cluster through {@code attach}
     * (typically {@code listener -> node.attachToCluster(DocumentRelay.KIND, listener)}), which returns null when
     * the node is alone: then nothing is relayed.
     */
    public static void start(DocumentRooms rooms, Function<Cluster.FrameListener, Cluster.FrameChannel> attach) {
        DocumentRelay relay = new DocumentRelay(rooms);
        relay.channel = attach.apply(relay);
        if (relay.channel != null) {
            rooms.relayThrough(relay);
        }
    }

    /** Tells the other nodes of updates this node stored for {@code room}, from sequence {@code first} on. */
    void updates(String room, long first, List<byte[]> updates) {
        int size = updates.stream().mapToInt(u -> u.length + 5).sum();
        Lib0Writer out = header(UPDATES, room, size + 16).writeVarUint(first).writeVarUint(updates.size());
        updates.forEach(out::writeVarUint8Array);
        channel.broadcast(out.toByteArray());
    }

    /** Tells the other nodes of an awareness update (or removal) of this node's peers in {@code room}. */
    void awareness(String room, byte[] update) {
        channel.broadcast(header(AWARENESS, room, update.length).writeBytes(update).toByteArray());
    }

    private static Lib0Writer header(byte type, String room, int payload) {
        return new Lib0Writer(payload + room.length() * 3 + 8).writeUint8(KIND).writeUint8(type).writeVarString(room);
    }

    @Override
    public void frame(String fromNode, byte[] frame) {
        try {
            Lib0Reader in = new Lib0Reader(frame, 1, frame.length - 1);
            int type = in.readUint8();
            DocumentRoom room = rooms.loadedRoom(in.readVarString());
            if (room == null) {
                return;
            }
            switch (type) {
                case UPDATES -> {
                    long first = in.readVarUint();
                    int count = in.readLength();
                    List<byte[]> updates = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        updates.add(in.readVarUint8Array());
                    }
                    room.relayedUpdates(first, updates);
                }
                case AWARENESS -> room.relayedAwareness(fromNode,
                        Arrays.copyOfRange(frame, in.position(), frame.length));
                default -> throw new YjsFormatException("unknown document frame type " + type, 1);
            }
        } catch (YjsFormatException e) {
            long left = badFrames.admit();
            if (left >= 0) {
                log.warn("dropping a document frame from node {}: {}{}", fromNode, e.getMessage(),
                        left > 0 ? " (" + left + " more not logged)" : "");
            }
        }
    }

    @Override
    public void nodeGone(String nodeId) {
        rooms.loadedRooms().forEach(room -> room.nodeGone(nodeId));
    }
}
