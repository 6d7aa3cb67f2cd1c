package dev.weft.nats;

/** NATS did not do what the engine asked (down, slow, refused); the caller's operation did not happen. */
public final class NatsEngineException extends RuntimeException {

    NatsEngineException(String message, Throwable cause) {
        super(message, cause);
    }

    NatsEngineException(String message) {
        super(message);
    }
}
