package dev.weft.core.docs;

/** The server API's update (or read) was refused by the room: {@link #error()} says why. */
public final class DocumentRejectedException extends Exception {
    private final DocumentError error;
    private final String detail;

    public DocumentRejectedException(DocumentError error, String detail) {
        super(error.reason() + ": " + detail);
        this.error = error;
        this.detail = detail;
    }

    public DocumentError error() {
        return error;
    }

    /** What exactly was wrong, without the error's reason. */
    public String detail() {
        return detail;
    }
}
