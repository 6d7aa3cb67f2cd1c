package dev.weft.server.docs;

import dev.weft.yjs.lib0.Lib0Writer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The y-protocols messages both document dialects carry (y-websocket bare, Hocuspocus behind a document-name
 * prefix): message type {@value #SYNC} sync with sub-types SyncStep1 / SyncStep2 / Update and a
 * {@code varUint8Array} payload, type {@value #AWARENESS} awareness with a {@code varUint8Array} awareness
 * update. The prefix is written first, as is, so a dialect encodes its address once per peer.
 *
 * <p>A room relays one update (or awareness update) to each of its peers in turn with the same array;
 * {@link #relayed} frames it once for them all, so every peer's write queue holds the same array and the
 * WebSocket outbox frames it once per event loop (as the y-websocket server encodes a broadcast once): a large
 * update relayed to many peers costs one copy, not one per peer.
 *
 * <p>Thread-safe; the only state is {@link #lastRelayed}, one frame replaced atomically.
 */
public final class DocumentFrames {
    public static final int SYNC = 0;
    public static final int AWARENESS = 1;
    public static final int AUTH = 2;
    public static final int QUERY_AWARENESS = 3;

    public static final int SYNC_STEP1 = 0;
    public static final int SYNC_STEP2 = 1;
    public static final int SYNC_UPDATE = 2;

    /** The frame {@link #relayed} made last, for the next peer of the same broadcast. */
    private static final AtomicReference<Relayed> lastRelayed = new AtomicReference<>();

    private record Relayed(byte[] prefix, int type, byte[] payload, byte[] frame) {
    }

    private DocumentFrames() {
    }

    /**
     * {@link #sync} with {@link #SYNC_UPDATE} ({@code type} {@value #SYNC}) or {@link #awareness} ({@code type}
     * {@value #AWARENESS}) of a payload being relayed: the very array returned for the call before when the
     * payload is the same array and the prefix equal (the next peer of the same broadcast), a new one
     * otherwise. Nobody may modify the returned array.
     */
    public static byte[] relayed(byte[] prefix, int type, byte[] payload) {
        Relayed last = lastRelayed.get();
        if (last != null && last.payload() == payload && last.type() == type && Arrays.equals(last.prefix(), prefix)) {
            return last.frame();
        }
        byte[] frame = type == SYNC ? sync(prefix, SYNC_UPDATE, payload) : awareness(prefix, payload);
        lastRelayed.set(new Relayed(prefix, type, payload, frame));
        return frame;
    }

    /** {@code prefix, varUint 0, varUint syncType, varUint8Array payload}. */
    public static byte[] sync(byte[] prefix, int syncType, byte[] payload) {
        return new Lib0Writer(prefix.length + payload.length + 8).writeBytes(prefix).writeVarUint(SYNC)
                .writeVarUint(syncType).writeVarUint8Array(payload).toByteArray();
    }

    /** {@code prefix, varUint 1, varUint8Array awarenessUpdate}. */
    public static byte[] awareness(byte[] prefix, byte[] awarenessUpdate) {
        return new Lib0Writer(prefix.length + awarenessUpdate.length + 8).writeBytes(prefix).writeVarUint(AWARENESS)
                .writeVarUint8Array(awarenessUpdate).toByteArray();
    }
}
