package dev.weft.core.docs;

/** A peer may not open a document: {@link #error()} is {@link DocumentError#UNAUTHORIZED} or {@link DocumentError#FORBIDDEN}. */
public final class DocumentAccessDenied extends Exception {
    private final DocumentError error;

    public DocumentAccessDenied(DocumentError error, String reason) {
        super(reason);
        this.error = error;
    }

    public DocumentError error() {
        return error;
    }
}
