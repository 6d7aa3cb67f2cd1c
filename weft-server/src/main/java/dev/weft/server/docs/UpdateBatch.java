package dev.weft.server.docs;

import dev.weft.core.docs.DocumentSession;

import java.util.ArrayList;
import java.util.List;

/**
 * The updates (SyncStep2 and Update messages) a connection received in a row for one document, gathered so
 * that its room gets them in one {@link DocumentSession#updates} call and stores them in one batch: a client
 * typing fast sends an update per keystroke, and one durable write each would hold it back to the disk's sync
 * rate. The dialect {@link #add}s updates, {@link #flush}es before any other message (so messages keep their
 * order) and when its {@link DocumentSocket} has no more frames waiting ({@link DocumentSocket.Handler#drained}).
 * At most {@value #MAX_UPDATES} updates or {@value #MAX_BYTES} bytes are gathered before they go.
 *
 * <p>Not thread-safe: confined to the connection's inbox.
 */
public final class UpdateBatch {
    static final int MAX_UPDATES = 1000;
    static final int MAX_BYTES = 4 << 20;

    private DocumentSession session;
    private final List<byte[]> updates = new ArrayList<>();
    private long bytes;

    /** Gathers {@code update} for {@code to}; what was gathered for another document goes first. */
    public void add(DocumentSession to, byte[] update) {
        if (session != to) {
            flush();
            session = to;
        }
        updates.add(update);
        bytes += update.length;
        if (updates.size() >= MAX_UPDATES || bytes >= MAX_BYTES) {
            flush();
        }
    }

    /** Submits what was gathered and waits for its room to have stored and relayed it. */
    public void flush() {
        if (updates.isEmpty()) {
            return;
        }
        DocumentSession to = session;
        List<byte[]> batch = List.copyOf(updates);
        updates.clear();
        bytes = 0;
        to.updates(batch);
    }
}
