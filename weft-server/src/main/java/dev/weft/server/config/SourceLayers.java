package dev.weft.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.weft.server.config.OptionCatalog.CENTRIFUGO_ENV_PREFIX;
import static dev.weft.server.config.OptionCatalog.ENV_PREFIX;
import static dev.weft.server.config.OptionCatalog.NAMESPACES_KEY;

/**
 * Lays environment variables and then command-line overrides over the file tree, so that one decoding pass
 * sees the winning value for every key. Environment names are resolved against the table of known keys (a
 * whole-name match, so underscores inside key names are never mistaken for section dots). Values stay text
 * until decoding, except JSON for namespaces. One per load; not thread-safe.
 */
final class SourceLayers {

    private static final String NAMESPACES_ENV = OptionCatalog.envSuffix(NAMESPACES_KEY) + "_";
    /** Variables Kubernetes injects for a Service named like the prefix (e.g. CENTRIFUGO_PORT=tcp://…). */
    private static final Pattern K8S_URL_NAME =
            Pattern.compile("^(?:WEFT|CENTRIFUGO)(?:_[A-Z0-9_]+)?_PORT(?:_\\d+_(?:TCP|UDP|SCTP))?$");
    private static final Pattern K8S_URL_VALUE = Pattern.compile("^(?:tcp|udp|sctp)://.*");
    private static final Pattern K8S_OTHER_NAME = Pattern.compile("^(?:WEFT|CENTRIFUGO)(?:_[A-Z0-9_]+)?_(?:"
            + "PORT_\\d+_(?:TCP|UDP|SCTP)_(?:PORT|PROTO|ADDR)|SERVICE_HOST|SERVICE_PORT(?:_[A-Z0-9_]+)?)$");

    private final ObjectNode tree;
    private final ConfigReport report;
    /** Environment values under unsupported keys: entry → rest of the variable name → value. */
    private final Map<UnsupportedOption, Map<String, String>> unsupportedEnv = new LinkedHashMap<>();
    /** The variable names behind {@link #unsupportedEnv}, same shape. */
    private final Map<UnsupportedOption, Map<String, String>> unsupportedEnvNames = new HashMap<>();

    SourceLayers(ObjectNode tree, ConfigReport report) {
        this.tree = tree;
        this.report = report;
    }

    Map<String, String> unsupportedEnv(UnsupportedOption option) {
        return unsupportedEnv.getOrDefault(option, Map.of());
    }

    /** The variable to name in a warning: the one switching the feature on when set, else the first. */
    String unsupportedEnvName(UnsupportedOption option) {
        Map<String, String> names = unsupportedEnvNames.getOrDefault(option, Map.of());
        String gate = switch (option.activation()) {
            case ENABLED -> names.get("ENABLED");
            case NOT_MEMORY -> names.get("TYPE");
            default -> null;
        };
        return gate != null ? gate : names.values().stream().findFirst().orElse(null);
    }

    /**
     * Applies {@code CENTRIFUGO_*} then {@code WEFT_*} variables (so Weft's win), whole-list namespaces before
     * per-namespace variables. Empty values count as unset, as in Centrifugo.
     */
    void applyEnvironment(Map<String, String> env) {
        List<String> ordered = new ArrayList<>();
        new TreeMap<>(env).forEach((name, value) -> {
            if (name.startsWith(CENTRIFUGO_ENV_PREFIX)) {
                ordered.add(name);
            }
        });
        new TreeMap<>(env).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                ordered.add(name);
            }
        });
        Map<String, String> setBy = new HashMap<>();
        List<String> perNamespace = new ArrayList<>();
        for (String name : ordered) {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            String prefix = name.startsWith(ENV_PREFIX) ? ENV_PREFIX : CENTRIFUGO_ENV_PREFIX;
            String suffix = name.substring(prefix.length());
            if (prefix.equals(CENTRIFUGO_ENV_PREFIX) && suffix.startsWith("VAR_")) {
                continue; // Centrifugo's own ${CENTRIFUGO_VAR_…} substitutions, not options.
            }
            String key = KeyIndex.SUPPORTED_ENV.get(suffix);
            if (key != null) {
                String previous = setBy.put(key, name);
                if (previous != null && !env.get(previous).equals(value)) {
                    report.warn(name + " overrides " + previous + " for " + key);
                }
                setFromText(key, value, "environment variable " + name);
                continue;
            }
            String renamed = KeyIndex.RENAMED_ENV.get(suffix);
            if (renamed != null) {
                setFromText(renamed, value, "environment variable " + name);
                continue;
            }
            if (suffix.startsWith(NAMESPACES_ENV)) {
                perNamespace.add(name);
                continue;
            }
            UnsupportedOption unsupported = KeyIndex.unsupportedForEnv(suffix);
            if (unsupported != null) {
                String own = OptionCatalog.envSuffix(unsupported.key());
                String rest = suffix.length() == own.length() ? "" : suffix.substring(own.length() + 1);
                unsupportedEnv.computeIfAbsent(unsupported, u -> new LinkedHashMap<>()).put(rest, value);
                unsupportedEnvNames.computeIfAbsent(unsupported, u -> new LinkedHashMap<>()).put(rest, name);
                continue;
            }
            if (isKubernetesServiceVariable(name, value)) {
                continue;
            }
            report.unknown("unknown environment variable " + name + didYouMeanEnv(prefix, suffix));
        }
        for (String name : perNamespace) {
            String prefix = name.startsWith(ENV_PREFIX) ? ENV_PREFIX : CENTRIFUGO_ENV_PREFIX;
            applyNamespaceVariable(name, prefix, name.substring(prefix.length() + NAMESPACES_ENV.length()),
                    env.get(name));
        }
    }

    /**
     * Applies dotted-key overrides (the CLI's {@code --port}, {@code --set key=value}). Supported keys and
     * {@code channel.namespaces.<name>.<option>} are set; anything else is placed in the tree too, where the
     * key check reports it as unsupported or unknown.
     */
    void applyOverrides(Map<String, String> overrides) {
        new TreeMap<>(overrides).forEach((key, value) -> {
            if (value == null) {
                return;
            }
            String origin = "command-line override " + key;
            if (KeyIndex.SUPPORTED.containsKey(key)) {
                setFromText(key, value, origin);
            } else if (key.startsWith(NAMESPACES_KEY + ".")) {
                applyNamespaceOverride(key, value, origin);
            } else if (!key.isEmpty() && !key.startsWith(".") && !key.endsWith(".") && !key.contains("..")) {
                Trees.put(tree, key, Values.textNode(value));
                report.origin(key, origin);
            } else {
                report.unknown("invalid override key \"" + key + "\" (expected a dotted key such as http_server.port)");
            }
        });
    }

    private void setFromText(String key, String text, String origin) {
        report.origin(key, origin);
        JsonNode value = Values.textNode(text);
        if (key.equals(NAMESPACES_KEY) || key.equals(PostgresChangesDecoder.KEY)
                || key.equals(ConsumersConfigDecoder.KEY) || (ProxyConfigDecoder.SECTIONS.containsKey(key)
                && !ProxyConfigDecoder.TEXT_KEYS.contains(key))) {
            try {
                value = ConfigFiles.JSON.readTree(text);
            } catch (JsonProcessingException e) {
                report.error(key, "expected a JSON list of namespace objects, got invalid JSON: "
                        + e.getOriginalMessage());
                return;
            }
        } else if (KeyIndex.STRING_LIST_KEYS.contains(key) && text.trim().startsWith("[")) {
            try {
                JsonNode list = ConfigFiles.JSON.readTree(text);
                if (list.isArray()) {
                    value = list;
                }
            } catch (JsonProcessingException e) {
                // Not JSON: keep the text, split on spaces and commas when decoded.
            }
        }
        Trees.put(tree, key, value);
    }

    /** {@code <PREFIX>CHANNEL_NAMESPACES_<NAME>_<OPTION>}, Centrifugo's per-namespace variable. */
    private void applyNamespaceVariable(String name, String prefix, String rest, String value) {
        JsonNode list = Trees.at(tree, NAMESPACES_KEY);
        int bestIndex = -1;
        int bestLength = -1;
        String bestOption = null;
        String nearOption = null;
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode ns = list.get(i);
                if (!ns.isObject() || !ns.path("name").isTextual()) {
                    continue;
                }
                String nsEnv = OptionCatalog.envSuffix(ns.get("name").textValue());
                if (!rest.startsWith(nsEnv + "_") || nsEnv.length() <= bestLength) {
                    continue;
                }
                String optionEnv = rest.substring(nsEnv.length() + 1);
                String option = KeyIndex.CHANNEL_ENV.get(optionEnv);
                if (option != null) {
                    bestIndex = i;
                    bestLength = nsEnv.length();
                    bestOption = option;
                } else if (nearOption == null) {
                    nearOption = Suggestions.closest(optionEnv, KeyIndex.CHANNEL_ENV.keySet())
                            .map(o -> prefix + NAMESPACES_ENV + nsEnv + "_" + o).orElse(null);
                }
            }
        }
        if (bestOption == null) {
            report.unknown("unknown environment variable " + name + (nearOption != null
                    ? " (did you mean " + nearOption + "?)"
                    : " (no namespace in channel.namespaces matches it)"));
            return;
        }
        ((ObjectNode) list.get(bestIndex)).set(bestOption, Values.textNode(value));
        report.origin(NAMESPACES_KEY + "[" + bestIndex + "]." + bestOption, "environment variable " + name);
    }

    /** {@code channel.namespaces.<name>.<option>}; the name may itself contain dots. */
    private void applyNamespaceOverride(String key, String value, String origin) {
        String rest = key.substring(NAMESPACES_KEY.length() + 1);
        int dot = rest.lastIndexOf('.');
        JsonNode list = Trees.at(tree, NAMESPACES_KEY);
        if (dot > 0 && list != null && list.isArray()) {
            String nsName = rest.substring(0, dot);
            String option = rest.substring(dot + 1);
            for (int i = 0; i < list.size(); i++) {
                JsonNode ns = list.get(i);
                if (ns.isObject() && nsName.equals(ns.path("name").asText(null)) && !option.isEmpty()) {
                    ((ObjectNode) ns).set(option, Values.textNode(value));
                    report.origin(NAMESPACES_KEY + "[" + i + "]." + option, origin);
                    return;
                }
            }
        }
        report.unknown("unknown option " + key + " (from " + origin + "): expected "
                + NAMESPACES_KEY + ".<namespace name>.<option> for a namespace defined in " + NAMESPACES_KEY);
    }

    private static boolean isKubernetesServiceVariable(String name, String value) {
        return (K8S_URL_NAME.matcher(name).matches() && K8S_URL_VALUE.matcher(value).matches())
                || K8S_OTHER_NAME.matcher(name).matches();
    }

    private static String didYouMeanEnv(String prefix, String suffix) {
        List<String> candidates = new ArrayList<>(KeyIndex.SUPPORTED_ENV.keySet());
        UnsupportedOption.ALL.forEach(u -> candidates.add(OptionCatalog.envSuffix(u.key())));
        Optional<String> best = Suggestions.closest(suffix, candidates);
        return best.map(s -> " (did you mean " + prefix + s + "?)").orElse("");
    }
}
