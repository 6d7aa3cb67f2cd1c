package dev.weft.server.websocket;

import dev.weft.core.limits.RefusalCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a connection ({@code client.allowed_origins}): the defence against
 * cross-site WebSocket hijacking, where a page on another site opens a socket to Weft in a victim's browser
 * and the browser attaches the victim's cookies. Browsers always send {@code Origin} on a WebSocket
 * upgrade and a page cannot forge it.
 *
 * <ul>
 *   <li>No {@code Origin} header (non-browser clients): allowed, as in Centrifugo.</li>
 *   <li>Empty pattern list: only same-origin — the Origin's {@code host[:port]} equals the {@code Host}
 *       header (case-insensitive), as Centrifuge's default check. (Centrifugo itself refuses every browser
 *       when the list is empty.) This trusts {@code Host}, which DNS rebinding lets an attacker choose:
 *       list your origins in production.</li>
 *   <li>Otherwise the whole Origin (e.g. {@code https://app.example.com}) must match one pattern of the
 *       list, each a glob as Centrifugo reads it (see {@link OriginGlob}: {@code *}, {@code ?},
 *       {@code [a-z]}, {@code {a,b}}); case-insensitive. {@code *} alone allows any origin.</li>
 * </ul>
 *
 * <p>Immutable, thread-safe.
 */
public final class OriginPolicy {
    private static final Logger log = LoggerFactory.getLogger(OriginPolicy.class);

    private final List<OriginGlob> patterns;
    private final RefusalCounters refusals;

    /** A policy whose refusals are not counted. */
    public OriginPolicy(List<String> allowedOrigins) {
        this(allowedOrigins, new RefusalCounters());
    }

    /**
     * @param refusals where each refusal is counted ({@link RefusalCounters#CONNECTION_ORIGIN})
     * @throws IllegalArgumentException when a pattern is malformed (an unterminated {@code [} or {@code {})
     */
    public OriginPolicy(List<String> allowedOrigins, RefusalCounters refusals) {
        this.patterns = allowedOrigins.stream().map(OriginGlob::compile).toList();
        this.refusals = refusals;
        if (patterns.stream().anyMatch(OriginGlob::matchesEverything)) {
            log.warn("client.allowed_origins contains \"*\": a page on any site may connect on behalf of its "
                    + "visitors; list your own origins instead");
        }
    }

    /** Checks that every pattern compiles; the message says which one does not. */
    public static void validate(List<String> allowedOrigins) {
        allowedOrigins.forEach(OriginGlob::compile);
    }

    /** Null when allowed, else why not (for the log); a refusal is counted. */
    public String refusal(String origin, String host) {
        String refusal = check(origin, host);
        if (refusal != null) {
            refusals.increment(RefusalCounters.CONNECTION_ORIGIN);
        }
        return refusal;
    }

    private String check(String origin, String host) {
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
        for (OriginGlob p : patterns) {
            if (p.matches(normalized)) {
                return null;
            }
        }
        return "Origin " + origin + " matches no pattern in client.allowed_origins";
    }

    /**
     * The stricter check for a request that authenticates with a cookie (the browser attaches it on its own,
     * so the request may have been started by any page): with an {@code Origin} header, as
     * {@link #refusal}; without one, the browser's {@code Sec-Fetch-Site} must say the request came from the
     * same origin or from the user ({@code same-origin}, {@code none}) — a cross-site {@code <img>} or
     * {@code <iframe>} request carries no Origin. Clients that send neither header are not browsers and
     * cannot have borrowed a cookie. Transports that accept cookie credentials call this instead of
     * {@link #refusal}.
     *
     * @param secFetchSite the {@code Sec-Fetch-Site} request header, or null
     * @return null when allowed, else why not (for the log)
     */
    public String cookieAuthRefusal(String origin, String host, String secFetchSite) {
        if (origin != null && !origin.isEmpty()) {
            return refusal(origin, host);
        }
        if (secFetchSite == null || secFetchSite.isEmpty()) {
            return null;
        }
        return switch (secFetchSite.toLowerCase(Locale.ROOT)) {
            case "same-origin", "none" -> null;
            default -> "cookie-authenticated request from another site (Sec-Fetch-Site: " + secFetchSite
                    + ") without an Origin header";
        };
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
}
