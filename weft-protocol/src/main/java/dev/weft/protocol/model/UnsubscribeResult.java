package dev.weft.protocol.model;

public record UnsubscribeResult() implements Result {
}
