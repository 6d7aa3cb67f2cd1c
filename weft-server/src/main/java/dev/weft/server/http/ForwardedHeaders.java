package dev.weft.server.http;

import dev.weft.core.proxy.ProxyConfig;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;

/** The request headers a transport hands the engine ({@code Transport.headers()}), lower-case names. */
public final class ForwardedHeaders {
    /** What every connection transport forwards. */
    public static final List<String> COMMON = List.of("origin", "user-agent", "host", "x-forwarded-for",
            "x-forwarded-proto", "x-real-ip", "accept-language");

    private ForwardedHeaders() {
    }

    /** {@link #COMMON} and every header an event proxy forwards ({@code http_headers}), lower-case. */
    public static List<String> withProxied(ProxyConfig proxies) {
        Set<String> names = new LinkedHashSet<>(COMMON);
        Stream.of(Stream.ofNullable(proxies.connect()), Stream.ofNullable(proxies.refresh()),
                        proxies.subscribe().values().stream(), proxies.publish().values().stream(),
                        proxies.subRefresh().values().stream(), proxies.rpc().values().stream())
                .flatMap(s -> s)
                .forEach(p -> p.httpHeaders().forEach(h -> names.add(h.toLowerCase(Locale.ROOT))));
        return List.copyOf(names);
    }

    /** The first value of each of {@code names} (lower-case) present in {@code headers}. */
    public static Map<String, String> select(HttpHeaders headers, List<String> names) {
        Map<String, String> selected = new LinkedHashMap<>();
        for (String name : names) {
            String value = headers.get(name);
            if (value != null) {
                selected.put(name, value);
            }
        }
        return selected;
    }
}
