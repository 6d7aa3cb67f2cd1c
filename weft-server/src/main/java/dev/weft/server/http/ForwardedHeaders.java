package dev.weft.server.http;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The request headers a transport hands the engine ({@code Transport.headers()}), lower-case names. */
public final class ForwardedHeaders {
    /** What every connection transport forwards. */
    public static final List<String> COMMON = List.of("origin", "user-agent", "host", "x-forwarded-for",
            "x-forwarded-proto", "x-real-ip", "accept-language");

    private ForwardedHeaders() {
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
