package dev.weft.server.http;

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
        if (allowsAnySite()) {
            log.warn("client.allowed_origins lets in any site ({}): a page on any site may connect on behalf of "
                    + "its visitors; list your own origins instead", anySitePatterns(allowedOrigins));
        }
    }

    /** Checks that every pattern compiles; the message says which one does not. */
    public static void validate(List<String> allowedOrigins) {
        allowedOrigins.forEach(OriginGlob::compile);
    }

    /**
     * Why a cookie-carried token must not be combined with these origin patterns, or null when it may: a
     * pattern that lets in any site (such as {@code *}) would let any page use a visitor's cookie.
     */
    public static String cookieConflict(List<String> allowedOrigins, String tokenCookieName) {
        if (tokenCookieName == null || tokenCookieName.isEmpty()) {
            return null;
        }
        List<String> broad = anySitePatterns(allowedOrigins);
        if (broad.isEmpty()) {
            return null;
        }
        return "client.token_cookie_name is set (\"" + tokenCookieName + "\") while client.allowed_origins lets in "
                + "any site (" + String.join(", ", broad) + "): any web page could then use a visitor's token "
                + "cookie. List the origins of your own pages in client.allowed_origins, or unset "
                + "client.token_cookie_name";
    }

    private static List<String> anySitePatterns(List<String> allowedOrigins) {
        return allowedOrigins.stream().filter(p -> OriginGlob.compile(p).matchesAnySite()).toList();
    }

    /** Whether some pattern lets in any site (see {@link #cookieConflict}). */
    public boolean allowsAnySite() {
        return patterns.stream().anyMatch(OriginGlob::matchesAnySite);
    }

    /**
     * Whether a response to an allowed request from {@code origin} may let the page read it with credentials
     * ({@code Access-Control-Allow-Credentials}): only when the origin is the server's own (no pattern list) or
     * named by a pattern that does not let in any site. A wildcard never grants credentialed access.
     */
    public boolean grantsCredentials(String origin) {
        if (patterns.isEmpty()) {
            return true;
        }
        String normalized = origin.toLowerCase(Locale.ROOT);
        return patterns.stream().anyMatch(p -> !p.matchesAnySite() && p.matches(normalized));
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
     * so the request may have been started by any page). With an {@code Origin} header: as {@link #refusal},
     * and the origin must be allowed by a pattern that does not let in any site. Without one, the browser's
     * {@code Sec-Fetch-Site} must say the request came from this site or from the user ({@code same-origin},
     * {@code same-site}, {@code none}): a cross-site {@code <img>}, {@code <iframe>} or navigation carries no
     * Origin but says {@code cross-site}. Clients that send neither header are not browsers and cannot have
     * borrowed a cookie. {@link dev.weft.server.http.TokenExtractor} calls this before it hands out a cookie
     * token, so every transport reading the cookie gets the check.
     *
     * @param secFetchSite the {@code Sec-Fetch-Site} request header, or null
     * @return null when allowed, else why not (for the log); a refusal is counted
     */
    public String cookieAuthRefusal(String origin, String host, String secFetchSite) {
        if (origin != null && !origin.isEmpty()) {
            String refusal = refusal(origin, host);
            if (refusal == null && !grantsCredentials(origin)) {
                refusals.increment(RefusalCounters.CONNECTION_ORIGIN);
                return "cookie token from Origin " + origin + ", which client.allowed_origins lets in only through "
                        + "a wildcard";
            }
            return refusal;
        }
        if (secFetchSite == null || secFetchSite.isEmpty()) {
            return null;
        }
        return switch (secFetchSite.toLowerCase(Locale.ROOT)) {
            case "same-origin", "same-site", "none" -> null;
            default -> {
                refusals.increment(RefusalCounters.CONNECTION_ORIGIN);
                yield "cookie token sent by another site (Sec-Fetch-Site: " + secFetchSite
                        + ") without an Origin header";
            }
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
