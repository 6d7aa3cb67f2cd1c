package dev.weft.server.config;

import java.util.List;

/**
 * The configuration cannot be used. Lists every problem found, each naming its key (and the environment
 * variable or override it came from), so one run shows them all; {@link #warnings()} holds what would have
 * been warned about, for the caller to log too.
 */
public final class ConfigException extends Exception {

    private final List<String> problems;
    private final List<String> warnings;

    public ConfigException(List<String> problems, List<String> warnings) {
        super(message(problems));
        this.problems = List.copyOf(problems);
        this.warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** One line per problem, e.g. {@code http_server.port: expected integer, got "abc"}. */
    public List<String> problems() {
        return problems;
    }

    public List<String> warnings() {
        return warnings;
    }

    private static String message(List<String> problems) {
        StringBuilder out = new StringBuilder("invalid configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        for (String p : problems) {
            out.append("\n  - ").append(p);
        }
        return out.toString();
    }
}
