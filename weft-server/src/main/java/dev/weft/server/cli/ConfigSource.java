package dev.weft.server.cli;

import dev.weft.server.config.ConfigException;
import dev.weft.server.config.ConfigLoader;
import dev.weft.server.config.LoadedConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options every command that reads the configuration shares ({@code --config}, {@code --set},
 * {@code --strict}), and the loading: defaults, then the file, then {@code WEFT_*} variables, then flags.
 */
public final class ConfigSource {
    @Option(names = {"--config", "-c"}, paramLabel = "FILE", description = "Configuration file (YAML, JSON or TOML).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set any option, e.g. --set client.insecure=true (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--strict", description = "Refuse unknown configuration keys instead of warning.")
    boolean strict;

    /**
     * The configuration with {@code flags} over the {@code --set} ones; null when it is invalid, after the
     * reason (and any warnings) went to {@code err} as {@code weft: …} lines.
     */
    public LoadedConfig load(Map<String, String> flags, PrintWriter err) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(flags);
        try {
            return ConfigLoader.load(Optional.ofNullable(config), System.getenv(), all,
                    strict ? ConfigLoader.UnknownKeys.FAIL : ConfigLoader.UnknownKeys.WARN);
        } catch (ConfigException e) {
            e.warnings().forEach(w -> err.println("weft: warning: " + w));
            err.println("weft: " + e.getMessage());
            return null;
        }
    }
}
