package dev.weft.core.docs;

/** What a peer may do in a document room: read (sync, awareness) and, with {@link #READ_WRITE}, change it. */
public enum DocumentAccess {
    READ_WRITE,
    READ_ONLY;

    public boolean mayWrite() {
        return this == READ_WRITE;
    }
}
