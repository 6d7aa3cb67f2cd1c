package dev.weft.protocol.model;

/** Connection credentials refreshed by the server ({@code refresh} push). */
public record RefreshPush(boolean expires, int ttl) implements PushBody {
}
