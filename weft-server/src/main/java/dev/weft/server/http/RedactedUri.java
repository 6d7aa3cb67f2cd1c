package dev.weft.server.http;

import java.util.Locale;
import java.util.Set;

/**
 * A request URI fit for logs: the values of query parameters that may hold credentials are replaced by
 * {@value #MASK}; everything else is kept as written (not decoded, so the log shows what was sent).
 *
 * <p>Secret parameters: any whose name contains {@code token} (case-insensitive: {@code token},
 * {@code access_token}, {@code subToken}, …), plus {@code jwt}, {@code cf_connect} (Centrifugo's connect
 * request in the URL, which holds the token), {@code api_key}, {@code apikey}, {@code key}, {@code auth},
 * {@code authorization}, {@code password}, {@code secret}. The fragment, if any, is dropped.
 *
 * <p>Stateless, thread-safe.
 */
public final class RedactedUri {
    public static final String MASK = "REDACTED";
    private static final Set<String> SECRET_NAMES = Set.of("jwt", "cf_connect", "api_key", "apikey", "key", "auth",
            "authorization", "password", "secret");

    private RedactedUri() {
    }

    /** {@code /x?token=abc&format=json} → {@code /x?token=REDACTED&format=json}. Null stays null. */
    public static String of(String uri) {
        if (uri == null) {
            return null;
        }
        int question = uri.indexOf('?');
        if (question < 0) {
            return uri;
        }
        int hash = uri.indexOf('#', question);
        String query = hash < 0 ? uri.substring(question + 1) : uri.substring(question + 1, hash);
        StringBuilder out = new StringBuilder(uri.length()).append(uri, 0, question + 1);
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(start, end);
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && isSecret(name)) {
                out.append(name).append('=').append(MASK);
            } else {
                out.append(pair);
            }
            if (amp < 0) {
                break;
            }
            out.append('&');
            start = amp + 1;
        }
        return out.toString();
    }

    /** Whether a query parameter of this (raw, possibly percent-encoded) name may hold a credential. */
    static boolean isSecret(String rawName) {
        String name = decodeLoosely(rawName).toLowerCase(Locale.ROOT);
        return name.contains("token") || SECRET_NAMES.contains(name);
    }

    /** Percent-decoding that never fails: {@code %74oken} must not slip past as something else than token. */
    private static String decodeLoosely(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.append((char) (hi * 16 + lo));
                    i += 2;
                    continue;
                }
            }
            out.append(c == '+' ? ' ' : c);
        }
        return out.toString();
    }
}
