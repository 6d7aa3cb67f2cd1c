package dev.weft.protocol.model;

/** An asynchronous message from the server to this one connection ({@code message} push). */
public record Message(byte[] data) implements PushBody {
}
