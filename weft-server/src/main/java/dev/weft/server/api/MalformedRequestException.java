package dev.weft.server.api;

/** A request body that does not decode into the method's request (wrong types, not an object): HTTP 400. */
public final class MalformedRequestException extends RuntimeException {
    public MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
