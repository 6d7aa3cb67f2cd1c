package dev.weft.protocol.model;

public record PublishResult() implements Result {
}
