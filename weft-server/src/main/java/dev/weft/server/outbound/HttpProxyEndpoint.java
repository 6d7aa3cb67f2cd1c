package dev.weft.server.outbound;

import dev.weft.core.proxy.ProxyEndpoint;
import dev.weft.core.proxy.ProxyOptions;
import dev.weft.core.proxy.ProxyUnavailableException;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * An event proxy over HTTP, as Centrifugo calls it: each event is a POST of the proxy request JSON to the
 * proxy's {@code endpoint}, with {@code http.static_headers} and the forwarded headers (which win), answered
 * within {@code timeout}.
 *
 * <p>Back-pressure: at most {@link #MAX_IN_FLIGHT} calls to one proxy at once. A call waits for a slot no
 * longer than the proxy's timeout (the waiters are sessions, each with one command at a time, so they are
 * bounded by the connections); then it fails as overloaded and the client is told "too many requests" — a
 * slow backend makes clients retry, never the server queue.
 *
 * <p>Thread-safe.
 */
public final class HttpProxyEndpoint implements ProxyEndpoint {
    /** Calls to one backend in flight at once (each holds one keep-alive connection). */
    static final int MAX_IN_FLIGHT = 128;

    private final OutboundHttp http;
    private final ProxyOptions options;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final IntPredicate accepted;

    /** Answers with status 200 only, as Centrifugo's proxies. */
    public HttpProxyEndpoint(OutboundHttp http, ProxyOptions options) {
        this(http, options, OutboundHttp.ONLY_200);
    }

    /** @param accepted the answer statuses taken as answers (document webhooks take any 2xx, as Hocuspocus) */
    public HttpProxyEndpoint(OutboundHttp http, ProxyOptions options, IntPredicate accepted) {
        this.http = http;
        this.options = options;
        this.accepted = accepted;
    }

    @Override
    public byte[] call(String event, byte[] body, Map<String, String> headers) throws ProxyUnavailableException {
        long started = System.nanoTime();
        try {
            if (!slots.tryAcquire(options.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ProxyUnavailableException(what(event) + ": " + MAX_IN_FLIGHT + " calls in flight, none "
                        + "finished within " + options.timeout().toMillis() + " ms", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyUnavailableException(what(event) + ": interrupted", false);
        }
        try {
            Map<String, String> all = new LinkedHashMap<>(options.staticHeaders());
            all.putAll(headers);
            var left = options.timeout().minusNanos(System.nanoTime() - started);
            if (!left.isPositive()) {
                throw new ProxyUnavailableException(what(event) + ": timed out waiting for a slot", true);
            }
            return http.post(options.endpoint(), body, all, left, accepted);
        } catch (HttpTimeoutException e) {
            throw new ProxyUnavailableException(what(event) + ": no answer within " + options.timeout().toMillis()
                    + " ms", false);
        } catch (IOException e) {
            throw new ProxyUnavailableException(what(event) + ": " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyUnavailableException(what(event) + ": interrupted", false);
        } finally {
            slots.release();
        }
    }

    private String what(String event) {
        return event + " proxy " + options.name() + " (" + options.endpoint() + ")";
    }
}
