package dev.weft.server.config;

import java.util.List;

/**
 * The result of {@link ConfigLoader#load}: the configuration and what the caller should log at WARN level
 * at startup (unsupported Centrifugo options, unknown keys with suggestions, insecure modes).
 */
public record LoadedConfig(WeftConfig config, List<String> warnings) {

    public LoadedConfig {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
