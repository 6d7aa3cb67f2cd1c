package dev.weft.protocol.model;

/**
 * A server frame element: a reply to command {@code id} (with a result or an error), a push
 * ({@code id == 0}, result is a {@link Push}), or the empty server ping ({@code id == 0}, nothing set).
 */
public record Reply(int id, ProtocolError error, Result result) {
    public static final Reply PING = new Reply(0, null, null);

    public static Reply of(int id, Result result) {
        return new Reply(id, null, result);
    }

    public static Reply error(int id, ProtocolError error) {
        return new Reply(id, error, null);
    }

    public static Reply push(Push push) {
        return new Reply(0, null, push);
    }
}
