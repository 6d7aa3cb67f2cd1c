package dev.weft.core.proxy;

import java.util.Map;

/**
 * A backend that answers proxied client events: one request body in Centrifugo's proxy JSON, one response
 * body back. Implemented at the network edge (HTTP); the engine decides what the answer means
 * ({@link ClientProxies}).
 *
 * <p>Thread-safe. Calls come from the sessions' virtual threads and may block, but never longer than the
 * endpoint's timeout; an implementation bounds how many calls it has in flight and refuses the excess at
 * once rather than queue it.
 */
public interface ProxyEndpoint {
    /**
     * @param event   the proxied event: {@code connect}, {@code refresh}, {@code subscribe}, {@code publish},
     *                {@code sub_refresh} or {@code rpc}
     * @param body    the request JSON
     * @param headers headers forwarded from the client connection (lower-case names), already allow-listed
     * @return the backend's response body
     * @throws ProxyUnavailableException no usable answer: unreachable, timed out, a non-200 status, or too
     *                                   many calls in flight
     */
    byte[] call(String event, byte[] body, Map<String, String> headers) throws ProxyUnavailableException;
}
