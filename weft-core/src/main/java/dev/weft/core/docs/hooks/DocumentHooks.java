package dev.weft.core.docs.hooks;

import dev.weft.core.docs.DocumentAccessDenied;
import dev.weft.core.docs.DocumentGrant;

import java.time.Duration;

/**
 * What a backend is told of, and decides about, collaborative documents: the hooks Hocuspocus servers offer
 * ({@code onConnect}, {@code onLoadDocument}, {@code onChange}, {@code onStoreDocument}, {@code onDisconnect}).
 * The document engine calls them; {@link DocumentWebhooks} delivers them over HTTP.
 *
 * <p>{@link #authenticate} and {@link #load} block (call from virtual threads) and their failure is the
 * caller's: a peer refused, a room that does not open. {@link #changed}, {@link #stored} and
 * {@link #disconnected} never block: they are delivered in the background, and their failure touches no peer.
 *
 * <p>Implementations are thread-safe.
 */
public interface DocumentHooks {
    /** No hooks: tokens and namespace permissions decide, the store alone holds documents. */
    DocumentHooks NONE = new DocumentHooks() {
    };

    /** Whether {@link #authenticate} decides who opens {@code room} (instead of tokens and namespace permissions). */
    default boolean authenticates(String room) {
        return false;
    }

    /**
     * What {@code caller} may do in {@code room}: read-write or read-only.
     *
     * @throws DocumentAccessDenied the backend refused, or gave no usable answer (fail closed)
     */
    default DocumentGrant authenticate(String room, HookCaller caller) throws DocumentAccessDenied {
        throw new UnsupportedOperationException("no authenticate hook");
    }

    /** Whether {@link #load} is asked for {@code room} when the store has nothing of it. */
    default boolean loads(String room) {
        return false;
    }

    /**
     * The initial state of a document the store has nothing of: a Yjs update (v1), or null when the backend
     * has none either.
     *
     * @throws DocumentHookException no usable answer: the room does not open (its peers are refused and retry)
     */
    default byte[] load(String room, HookCaller caller) throws DocumentHookException {
        return null;
    }

    /** How long {@code room} must be quiet after a change before {@link #changed} is called; null = not called. */
    default Duration changeDebounce(String room) {
        return null;
    }

    /** The longest a changing document goes without {@link #changed} being called. */
    default Duration changeMaxWait() {
        return Duration.ZERO;
    }

    /** The document changed (debounced): {@code state} is its whole state as one Yjs update. */
    default void changed(String room, byte[] state) {
    }

    /** Whether {@link #stored} is wanted for {@code room}. */
    default boolean reportsStores(String room) {
        return false;
    }

    /** The document was compacted or unloaded after changes: {@code state} is its whole state. */
    default void stored(String room, byte[] state) {
    }

    /** {@code caller} left {@code room}. */
    default void disconnected(String room, HookCaller caller) {
    }
}
