package dev.weft.protocol.model;

/**
 * A client command. {@code request == null} with {@code id == 0} is the empty command {@code {}}: the
 * client's pong to a server ping.
 */
public record Command(int id, Request request) {
    public static final Command PONG = new Command(0, null);

    public boolean isPong() {
        return id == 0 && request == null;
    }
}
