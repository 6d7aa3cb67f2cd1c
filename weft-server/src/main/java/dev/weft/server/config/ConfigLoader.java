package dev.weft.server.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the immutable {@link WeftConfig} from, lowest priority first: the record defaults, a Centrifugo v6
 * config file (JSON, YAML or TOML, same key layout), environment variables, and command-line overrides.
 *
 * <ul>
 *   <li><b>File</b>: keys exactly as Centrifugo v6 names them ({@code client.token.hmac_secret_key},
 *       {@code channel.namespaces[]}, …); see {@link OptionCatalog} and {@code docs/configuration.md}.</li>
 *   <li><b>Environment</b>: {@code WEFT_} + the dotted key in upper snake case
 *       ({@code WEFT_HTTP_SERVER_PORT}); Centrifugo's {@code CENTRIFUGO_} prefix is read the same way, with
 *       {@code WEFT_} winning when both are set. Names are matched whole against the known keys. Empty values
 *       count as unset. Lists are space- or comma-separated (or a JSON list); {@code channel.namespaces} is a
 *       JSON list; {@code WEFT_CHANNEL_NAMESPACES_<NAME>_<OPTION>} sets one option of one namespace.</li>
 *   <li><b>Overrides</b>: dotted key → text, e.g. {@code http_server.port=9000} from {@code --port}, or
 *       {@code channel.namespaces.<name>.<option>}.</li>
 * </ul>
 *
 * <p>Keys Weft has renamed ({@link RenamedOption}) are moved to their new name with a warning. Centrifugo
 * options Weft does not implement yet are accepted with a warning; unknown keys (typos) are
 * warned about with a "did you mean" suggestion, or rejected with {@link UnknownKeys#FAIL}. Invalid values
 * are collected and thrown together in one {@link ConfigException}. Warnings are returned in
 * {@link LoadedConfig#warnings()} for the caller to log; this class logs nothing.
 *
 * <p>Thread-safety: stateless; {@code load} may be called from any thread, concurrently. Apart from reading
 * the config file it is a pure function of its arguments (it does not read {@link System#getenv()} itself:
 * pass it).
 */
public final class ConfigLoader {

    /** What to do with keys and {@code WEFT_}/{@code CENTRIFUGO_} variables that match no known option. */
    public enum UnknownKeys {
        /** Warn (with a suggestion) and go on, as Centrifugo does. */
        WARN,
        /** Strict mode: each one is a problem in the {@link ConfigException}. */
        FAIL
    }

    private ConfigLoader() {
    }

    /**
     * Loads with unknown keys reported as warnings.
     *
     * @param file      the config file ({@code --config}); empty = defaults, environment and overrides only
     * @param env       environment variables, normally {@link System#getenv()}; only {@code WEFT_*} and
     *                  {@code CENTRIFUGO_*} are read
     * @param overrides dotted key → value, highest priority (CLI flags)
     * @throws ConfigException listing every problem: unreadable file, wrong types, invalid values
     */
    public static LoadedConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides)
            throws ConfigException {
        return load(file, env, overrides, UnknownKeys.WARN);
    }

    /**
     * Loads the configuration.
     *
     * @param unknownKeys {@link UnknownKeys#FAIL} for strict mode
     * @throws ConfigException listing every problem (and, in strict mode, every unknown key)
     */
    public static LoadedConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides,
                                    UnknownKeys unknownKeys) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(unknownKeys, "unknownKeys");
        List<String> fileProblems = new ArrayList<>();
        ObjectNode tree = file.isPresent() ? ConfigFiles.read(file.get(), fileProblems)
                : JsonNodeFactory.instance.objectNode();
        if (tree == null) {
            throw new ConfigException(fileProblems, List.of());
        }
        ConfigReport report = new ConfigReport(unknownKeys == UnknownKeys.FAIL);
        SourceLayers layers = new SourceLayers(tree, report);
        layers.applyEnvironment(env);
        layers.applyOverrides(overrides);
        RenamedOption.apply(tree, report);
        KeyChecker.check(tree, layers, report);
        WeftConfig config = ConfigDecoder.decode(tree, report);
        if (config == null || report.hasErrors()) {
            throw new ConfigException(report.errors(), report.warnings());
        }
        if (config.node().client().insecure()) {
            report.warn("client.insecure is on: clients connect without a token and channel permissions are not "
                    + "checked; never use it in production");
        }
        if (config.httpApi().insecure()) {
            report.warn("http_api.insecure is on: the server API at /api accepts requests without a key");
        }
        return new LoadedConfig(config, report.warnings());
    }
}
