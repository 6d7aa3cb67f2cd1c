package dev.weft.server.api.model;

@Doc("Information about the running nodes.")
public record InfoRequest() {
}
