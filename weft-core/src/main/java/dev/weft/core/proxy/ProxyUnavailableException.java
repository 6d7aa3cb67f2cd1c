package dev.weft.core.proxy;

/**
 * A proxy call got no usable answer; the client gets a temporary error and retries. {@code overloaded} when
 * the endpoint refused the call because too many were in flight (the client is told "too many requests").
 */
public final class ProxyUnavailableException extends Exception {
    private final boolean overloaded;

    public ProxyUnavailableException(String message, boolean overloaded) {
        super(message, null, false, false);
        this.overloaded = overloaded;
    }

    public boolean overloaded() {
        return overloaded;
    }
}
