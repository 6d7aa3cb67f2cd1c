package dev.weft.server.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** "Did you mean …?" for unknown keys and environment variables. Stateless; any thread. */
final class Suggestions {

    /** Centrifugo v5 (flat) keys whose v6 home the other rules below cannot guess. */
    private static final Map<String, String> V5_KEYS = Map.of(
            "token_hmac_secret_key", "client.token.hmac_secret_key",
            "api_key", "http_api.key",
            "api_insecure", "http_api.insecure",
            "client_anonymous", "client.allow_anonymous_connect_without_token",
            "websocket_message_size_limit", "websocket.message_size_limit");

    private Suggestions() {
    }

    /**
     * The known key an unknown dotted key most likely means: a close sibling in the same section, the v5
     * name of a v6 key, a v5 flat key with its first underscore as the section dot, a known key ending in
     * the same name, or a close key anywhere.
     *
     * @param siblings known names in the unknown key's section
     */
    static Optional<String> forKey(String unknownKey, Collection<String> siblings) {
        int dot = unknownKey.lastIndexOf('.');
        String parent = dot < 0 ? "" : unknownKey.substring(0, dot);
        String name = unknownKey.substring(dot + 1);
        Optional<String> sibling = closest(name, siblings);
        if (sibling.isPresent()) {
            return Optional.of(parent.isEmpty() ? sibling.get() : parent + "." + sibling.get());
        }
        if (parent.isEmpty()) {
            if (V5_KEYS.containsKey(name)) {
                return Optional.of(V5_KEYS.get(name));
            }
            int underscore = name.indexOf('_');
            if (underscore > 0) {
                String dotted = name.substring(0, underscore) + "." + name.substring(underscore + 1);
                if (KeyIndex.SUPPORTED.containsKey(dotted) || KeyIndex.UNSUPPORTED.containsKey(dotted)) {
                    return Optional.of(dotted);
                }
            }
        }
        List<String> all = KeyIndex.allKeys();
        for (String key : all) {
            if (key.endsWith("." + name) && !key.equals(unknownKey)) {
                return Optional.of(key);
            }
        }
        return closest(unknownKey, all);
    }

    /** The candidate closest to {@code word}, if close enough to be a plausible typo. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, word.length() / 3);
        return best != null && bestDistance > 0 && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance counting an adjacent transposition as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
