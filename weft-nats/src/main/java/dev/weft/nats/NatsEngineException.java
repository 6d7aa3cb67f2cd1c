package dev.weft.nats;

/**
 * NATS refused what the engine asked (a JetStream API error, a race lost for too long) or the engine could not
 * be set up. When NATS is merely unreachable or slow the engine throws
 * {@link dev.weft.core.broker.BrokerUnavailableException} instead, which callers log throttled.
 */
public final class NatsEngineException extends RuntimeException {

    NatsEngineException(String message, Throwable cause) {
        super(message, cause);
    }

    NatsEngineException(String message) {
        super(message);
    }
}
