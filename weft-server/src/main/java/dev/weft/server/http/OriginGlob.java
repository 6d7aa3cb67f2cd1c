package dev.weft.server.http;


import java.util.Locale;
import java.util.function.Predicate;

/**
 * An origin pattern of {@code client.allowed_origins}, read as Centrifugo reads it: a {@link Glob} (gobwas/glob
 * without separators) matched against the whole lower-cased {@code Origin} header. So {@code *} spans dots and
 * slashes: {@code *.example.com} matches {@code https://app.example.com} and also
 * {@code https://evil-example.com.example.com}, but not {@code https://example.com}.
 *
 * <p>One difference, on purpose: Weft lower-cases the pattern too, so {@code https://App.example.com} works;
 * Centrifugo lower-cases only the Origin, and such a pattern never matches there.
 *
 * <p>Immutable, thread-safe.
 */
final class OriginGlob {
    private final String source;
    private final Predicate<String> matcher;

    private OriginGlob(String source, Predicate<String> matcher) {
        this.source = source;
        this.matcher = matcher;
    }

    /** @throws IllegalArgumentException naming the pattern, for an unterminated {@code [} or {@code {} and the like */
    static OriginGlob compile(String glob) {
        try {
            return new OriginGlob(glob, Glob.compile(glob.trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed origin pattern '" + glob + "': " + e.getMessage(), e);
        }
    }

    boolean matches(String lowerCaseOrigin) {
        return matcher.test(lowerCaseOrigin);
    }

    /**
     * Whether this pattern lets in a site nobody listed: a lone {@code *}, but also {@code https://*},
     * {@code *://*} or {@code http*} — judged by trying origins no deployment owns.
     */
    boolean matchesAnySite() {
        return ANY_SITE_PROBES.stream().anyMatch(this::matches);
    }

    /** Origins of the reserved {@code .invalid} domain (RFC 2606): no real allowed origin is one of them. */
    private static final java.util.List<String> ANY_SITE_PROBES = java.util.List.of(
            "https://weft-origin-probe.invalid", "http://weft-origin-probe.invalid", "null");

    @Override
    public String toString() {
        return source;
    }
}
