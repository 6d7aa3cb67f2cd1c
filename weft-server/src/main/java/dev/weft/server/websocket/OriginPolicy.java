package dev.weft.server.websocket;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which browser origins may open a WebSocket ({@code client.allowed_origins}).
 *
 * <ul>
 *   <li>No {@code Origin} header (non-browser clients): allowed, as in Centrifugo.</li>
 *   <li>Empty pattern list: only same-origin — the Origin's {@code host[:port]} equals the {@code Host}
 *       header (case-insensitive), as Centrifuge's default check.</li>
 *   <li>Otherwise the whole Origin (e.g. {@code https://app.example.com}) must match one pattern, where
 *       {@code *} stands for any run of characters ({@code https://*.example.com}, or {@code *} for any
 *       origin); case-insensitive.</li>
 * </ul>
 *
 * <p>Immutable, thread-safe.
 */
public final class OriginPolicy {
    private final List<Pattern> patterns;

    public OriginPolicy(List<String> allowedOrigins) {
        this.patterns = allowedOrigins.stream().map(OriginPolicy::compile).toList();
    }

    /** Null when allowed, else why not (for the log). */
    public String refusal(String origin, String host) {
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        if (patterns.isEmpty()) {
            String originHost = hostOf(origin);
            if (originHost != null && host != null && originHost.equalsIgnoreCase(host)) {
                return null;
            }
            return "Origin " + origin + " is not the same host as Host " + host
                    + " (list allowed origins in client.allowed_origins)";
        }
        String normalized = origin.toLowerCase(Locale.ROOT);
        for (Pattern p : patterns) {
            if (p.matcher(normalized).matches()) {
                return null;
            }
        }
        return "Origin " + origin + " matches no pattern in client.allowed_origins";
    }

    private static String hostOf(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return null;
            }
            // Like Go's url.Host: host plus the port as written, if any.
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        String lower = glob.trim().toLowerCase(Locale.ROOT);
        int start = 0;
        for (int star = lower.indexOf('*'); star >= 0; star = lower.indexOf('*', start)) {
            regex.append(Pattern.quote(lower.substring(start, star))).append(".*");
            start = star + 1;
        }
        regex.append(Pattern.quote(lower.substring(start)));
        return Pattern.compile(regex.toString());
    }
}
