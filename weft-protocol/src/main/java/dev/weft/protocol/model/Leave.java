package dev.weft.protocol.model;

public record Leave(ClientInfo info) implements PushBody {
}
