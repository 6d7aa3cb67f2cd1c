package dev.weft.protocol.model;

/** An asynchronous server-to-client message, about {@code channel} ("" for connection-level pushes). */
public record Push(String channel, PushBody body) implements Result {
    public Push {
        channel = channel == null ? "" : channel;
    }
}
