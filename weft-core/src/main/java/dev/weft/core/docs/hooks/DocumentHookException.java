package dev.weft.core.docs.hooks;

/** A blocking document hook got no usable answer (unreachable, timed out, a refusal status, a malformed body). */
public final class DocumentHookException extends Exception {
    public DocumentHookException(String message) {
        super(message, null, false, false);
    }
}
