package dev.weft.server.api.model;

@Doc("Empty object: the call succeeded.")
public record EmptyResult() {
    public static final EmptyResult INSTANCE = new EmptyResult();
}
