package dev.weft.protocol.model;

/** An asynchronous message to the server; it gets no reply. */
public record SendRequest(byte[] data) implements Request {
}
