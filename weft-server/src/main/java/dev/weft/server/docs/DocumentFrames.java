package dev.weft.server.docs;

import dev.weft.yjs.lib0.Lib0Writer;

/**
 * The y-protocols messages both document dialects carry (y-websocket bare, Hocuspocus behind a document-name
 * prefix): message type {@value #SYNC} sync with sub-types SyncStep1 / SyncStep2 / Update and a
 * {@code varUint8Array} payload, type {@value #AWARENESS} awareness with a {@code varUint8Array} awareness
 * update. The prefix is written first, as is, so a dialect encodes its address once per peer.
 *
 * <p>Stateless; thread-safe.
 */
public final class DocumentFrames {
    public static final int SYNC = 0;
    public static final int AWARENESS = 1;
    public static final int AUTH = 2;
    public static final int QUERY_AWARENESS = 3;

    public static final int SYNC_STEP1 = 0;
    public static final int SYNC_STEP2 = 1;
    public static final int SYNC_UPDATE = 2;

    private DocumentFrames() {
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
