package dev.weft.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the connection token an HTTP request carries, for transports that authenticate at request time
 * (SSE, HTTP-streaming, uni-directional WebSocket, emulation) rather than in a {@code connect} command.
 *
 * <p>Looked for in this order, the first non-empty one wins:
 * <ol>
 *   <li>{@code Authorization: Bearer <token>} (scheme case-insensitive, RFC 6750);</li>
 *   <li>the cookie named by {@code client.token_cookie_name}, when that is set (off by default). A browser
 *       attaches cookies to requests any page starts, so before a cookie token is handed out the request must
 *       pass {@link OriginPolicy#cookieAuthRefusal} (an allowed {@code Origin}, or {@code Sec-Fetch-Site} of
 *       this site); otherwise {@link #extract} throws {@link CrossSiteCookie} and the transport answers 403.
 *       Doing it here means no transport can read the cookie without the check;</li>
 *   <li>the query parameter {@value #QUERY_PARAMETER}, only when the caller passes {@code allowQuery} (for
 *       {@code EventSource}, which cannot set headers). A token in a URL ends up in proxies' and browsers'
 *       histories; Weft never requires it there, and prints URIs through {@link RedactedUri}.</li>
 * </ol>
 *
 * <p>Immutable, thread-safe.
 */
public final class TokenExtractor {
    /** Query parameter a transport may read the token from, when it allows tokens in the URL at all. */
    public static final String QUERY_PARAMETER = "token";
    private static final String BEARER = "bearer ";
    private static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

    /** Where a request's token came from. */
    public enum Source { AUTHORIZATION_HEADER, COOKIE, QUERY }

    /** A token found in a request, with where it was found. */
    public record RequestToken(String token, Source source) {
        /** Whether a browser sent it on its own (cookie); {@link #extract} has checked the request's site. */
        public boolean fromCookie() {
            return source == Source.COOKIE;
        }

        /** Never prints the token itself. */
        @Override
        public String toString() {
            return "RequestToken[" + source + ", " + token.length() + " chars]";
        }
    }

    /** A request that would authenticate with the token cookie but was started by another site: refuse, 403. */
    public static final class CrossSiteCookie extends Exception {
        public CrossSiteCookie(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String cookieName;
    private final OriginPolicy origins;

    /**
     * @param cookieName cookie holding the token; "" or null = cookies are never read
     * @param origins    the origins whose pages may use the cookie
     * @throws IllegalArgumentException when a cookie is named and {@code origins} lets in any site (a wildcard
     *                                  would let every page use a visitor's cookie)
     */
    public TokenExtractor(String cookieName, OriginPolicy origins) {
        this.cookieName = cookieName == null ? "" : cookieName;
        this.origins = origins;
        if (!this.cookieName.isEmpty() && origins.allowsAnySite()) {
            throw new IllegalArgumentException("client.token_cookie_name is set while client.allowed_origins lets "
                    + "in any site: any web page could use a visitor's token cookie");
        }
    }

    /** Reads neither cookies nor anything else a browser attaches by itself: header (and query) only. */
    public static TokenExtractor headerOnly() {
        return new TokenExtractor("", new OriginPolicy(List.of()));
    }

    /** The token of {@code exchange}'s request; call on the event loop while the request is valid. */
    public Optional<RequestToken> extract(HttpExchange exchange, boolean allowQuery) throws CrossSiteCookie {
        return extract(exchange.request().headers(), exchange.queryParameters(), allowQuery);
    }

    /**
     * The request's token, or empty when it carries none.
     *
     * @param query      decoded query parameters (Netty's {@code QueryStringDecoder.parameters()})
     * @param allowQuery whether the {@value #QUERY_PARAMETER} query parameter counts
     * @throws CrossSiteCookie when the token would come from the cookie and another site started the request
     */
    public Optional<RequestToken> extract(HttpHeaders headers, Map<String, List<String>> query, boolean allowQuery)
            throws CrossSiteCookie {
        String bearer = bearer(headers.get(HttpHeaderNames.AUTHORIZATION));
        if (bearer != null) {
            return Optional.of(new RequestToken(bearer, Source.AUTHORIZATION_HEADER));
        }
        if (!cookieName.isEmpty()) {
            String cookie = cookie(headers.getAll(HttpHeaderNames.COOKIE));
            if (cookie != null) {
                String refusal = origins.cookieAuthRefusal(headers.get(HttpHeaderNames.ORIGIN),
                        headers.get(HttpHeaderNames.HOST), headers.get(SEC_FETCH_SITE));
                if (refusal != null) {
                    throw new CrossSiteCookie(refusal);
                }
                return Optional.of(new RequestToken(cookie, Source.COOKIE));
            }
        }
        if (allowQuery && query != null) {
            List<String> values = query.get(QUERY_PARAMETER);
            if (values != null && !values.isEmpty() && !values.getFirst().isBlank()) {
                return Optional.of(new RequestToken(values.getFirst().trim(), Source.QUERY));
            }
        }
        return Optional.empty();
    }

    /** The token of an {@code Authorization: Bearer …} value; null for other schemes or an empty token. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private String cookie(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            // LAX: browsers send what servers set, including values STRICT would refuse (JWTs are safe either way).
            for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
                if (c.name().equals(cookieName) && !c.value().isBlank()) {
                    return c.value().trim();
                }
            }
        }
        return null;
    }
}
