package dev.weft.store.sqlite;

import dev.weft.core.broker.IdempotentResult;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import static dev.weft.core.broker.StreamRules.NEVER;

/** One channel's state cached by {@link ChannelStates}. Every field but {@code lock} is guarded by {@code lock}. */
final class ChannelState {
    final ReentrantLock lock = new ReentrantLock();
    /** Set once this state left the map; holders must fetch a fresh one. */
    boolean removed;
    /** Whether the fields below were read from the file. */
    boolean loaded;
    /** Current epoch; {@code null} while there is no stream. */
    String epoch;
    /** Offset of the newest publication (unsigned); 0 for a new stream. */
    long top;
    long metaExpiresAt = NEVER;
    /** Epoch of the next stream, noted when one was dropped under seed generation {@link #retiredGeneration}. */
    String retiredNext;
    long retiredGeneration;
    final Map<String, IdempotentResult> idempotentResults = new HashMap<>();
    /** The last write queued for this channel: writes complete in queue order, so waiting for it waits for all. */
    CompletableFuture<?> lastWrite;
    /** Clock millis of the last call that used this state. */
    long lastUsed;
}
