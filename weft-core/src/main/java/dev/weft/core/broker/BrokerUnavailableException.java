package dev.weft.core.broker;

/**
 * A {@link Broker} or {@link dev.weft.core.presence.PresenceManager} backed by a network service could not
 * reach it, or it did not answer in time. Temporary: callers answer with a temporary error and keep going.
 * A call that timed out may still have taken effect (a publish may have been appended), so it is "unknown",
 * not "not done". Callers log these throttled: an outage fails every command until it ends.
 */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
