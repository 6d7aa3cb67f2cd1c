package dev.weft.protocol.model;

public record PingRequest() implements Request {
}
