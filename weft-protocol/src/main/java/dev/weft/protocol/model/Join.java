package dev.weft.protocol.model;

public record Join(ClientInfo info) implements PushBody {
}
