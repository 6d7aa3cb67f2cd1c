package dev.weft.core.docs.hooks;

import dev.weft.core.proxy.ProxyOptions;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * {@code docs.hooks.*}: where document webhooks go and which are sent.
 *
 * @param endpoint       the URL every event is POSTed to, its timeout, the request headers forwarded in
 *                       {@code requestHeaders} ({@code http_headers}) and the headers added to every call
 *                       ({@code static_headers}); the event proxies' options, so the same HTTP client and
 *                       back-pressure serve both
 * @param secret         HMAC-SHA256 key of the {@code X-Hocuspocus-Signature-256} header; "" = unsigned
 * @param events         which events are sent
 * @param changeDebounce how long a document must be quiet before {@code change} is sent
 * @param changeMaxWait  the longest a changing document goes without a {@code change}
 */
public record WebhookOptions(ProxyOptions endpoint, String secret, Set<Event> events, Duration changeDebounce,
                             Duration changeMaxWait) {

    /** The events, named as {@code @hocuspocus/extension-webhook} names them ({@code store} is Weft's). */
    public enum Event {
        CONNECT, CREATE, CHANGE, STORE, DISCONNECT;

        /** The name in {@code docs.hooks.events} and in the request's {@code event}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for a name that is none of the events */
        public static Event of(String name) {
            return Arrays.stream(values()).filter(e -> e.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown document hook event '" + name
                            + "', expected one of connect, create, change, store, disconnect"));
        }
    }

    public WebhookOptions {
        Objects.requireNonNull(endpoint);
        secret = secret == null ? "" : secret;
        events = Set.copyOf(events);
        if (!changeDebounce.isPositive() || changeMaxWait.compareTo(changeDebounce) < 0) {
            throw new IllegalArgumentException("docs.hooks.change_debounce must be > 0 and change_max_wait at least it");
        }
    }

    public boolean sends(Event event) {
        return events.contains(event);
    }
}
