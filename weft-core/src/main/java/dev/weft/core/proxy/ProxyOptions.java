package dev.weft.core.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One backend endpoint and how to call it: Centrifugo v6's proxy configuration object.
 *
 * @param name                  the entry's name in {@code proxies}, or the key it was configured under
 *                              ({@code client.proxy.connect}, …) for the default proxies
 * @param endpoint              {@code http://} or {@code https://} URL every call is POSTed to
 * @param timeout               how long one call may take ({@code timeout}, default 1 s)
 * @param httpHeaders           transport-level request headers of the client connection forwarded to the
 *                              backend ({@code http_headers}), lower-case
 * @param emulatedHeaders       headers the client sent in its connect command forwarded to the backend
 *                              ({@code emulated_headers}), lower-case; a transport header of the same name wins
 * @param staticHeaders         headers added to every call ({@code http.static_headers}); forwarded ones win
 * @param includeConnectionMeta whether calls carry the connection's {@code meta}
 * @param binaryEncoding        payloads go as base64 ({@code b64data}) instead of raw JSON ({@code data})
 */
public record ProxyOptions(String name, URI endpoint, Duration timeout, List<String> httpHeaders,
                           List<String> emulatedHeaders, Map<String, String> staticHeaders,
                           boolean includeConnectionMeta, boolean binaryEncoding) {
    /** Centrifugo's default {@code timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public ProxyOptions {
        Objects.requireNonNull(name);
        Objects.requireNonNull(endpoint);
        timeout = timeout == null || !timeout.isPositive() ? DEFAULT_TIMEOUT : timeout;
        httpHeaders = httpHeaders == null ? List.of() : List.copyOf(httpHeaders);
        emulatedHeaders = emulatedHeaders == null ? List.of() : List.copyOf(emulatedHeaders);
        staticHeaders = staticHeaders == null ? Map.of() : Map.copyOf(staticHeaders);
    }
}
