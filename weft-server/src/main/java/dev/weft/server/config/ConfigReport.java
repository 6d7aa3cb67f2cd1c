package dev.weft.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Problems and warnings collected during one load, and where each non-file value came from so messages can
 * say "from environment variable WEFT_HTTP_SERVER_PORT". One per load; not thread-safe.
 */
final class ConfigReport {

    private final boolean strict;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> origins = new HashMap<>();

    ConfigReport(boolean strict) {
        this.strict = strict;
    }

    /** Records that {@code key}'s value came from {@code origin} (e.g. "environment variable WEFT_X"). */
    void origin(String key, String origin) {
        origins.put(key, origin);
    }

    /** Where a value at or below {@code key} came from (for a section set piecewise); null = the file. */
    String originWithin(String key) {
        String own = originOf(key);
        if (own != null) {
            return own;
        }
        return origins.entrySet().stream()
                .filter(e -> e.getKey().startsWith(key + ".") || e.getKey().startsWith(key + "["))
                .map(Map.Entry::getValue).sorted().findFirst().orElse(null);
    }

    /** Where a key's value came from, looking at enclosing keys too; null = the config file or defaults. */
    String originOf(String key) {
        String k = key;
        while (true) {
            String o = origins.get(k);
            if (o != null) {
                return o;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            if (cut <= 0) {
                return null;
            }
            k = k.substring(0, cut);
        }
    }

    void error(String key, String problem) {
        String origin = originOf(key);
        errors.add(key + ": " + problem + (origin == null ? "" : " (from " + origin + ")"));
    }

    void warn(String message) {
        warnings.add(message);
    }

    /** An unknown key or variable: a warning, or an error in strict mode. */
    void unknown(String message) {
        if (strict) {
            errors.add(message);
        } else {
            warnings.add(message);
        }
    }

    int errorCount() {
        return errors.size();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
