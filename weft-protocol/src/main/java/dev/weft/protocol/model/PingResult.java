package dev.weft.protocol.model;

public record PingResult() implements Result {
}
