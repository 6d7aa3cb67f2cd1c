package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.weft.server.config.OptionCatalog.NAMESPACES_KEY;
import static dev.weft.server.config.OptionCatalog.WITHOUT_NAMESPACE_KEY;

/**
 * Finds keys in the merged tree that Weft does not read: recognised Centrifugo options it does not support
 * (warned once each, unless set to a harmless value) and unknown keys, most likely typos (warned with a
 * suggestion, or errors in strict mode). Also reports sections given a non-object value. Stateless; the
 * report is the caller's.
 */
final class KeyChecker {

    private static final String NOT_SUPPORTED = " is a Centrifugo option Weft does not support yet; ignored. ";

    private KeyChecker() {
    }

    static void check(ObjectNode tree, SourceLayers layers, ConfigReport report) {
        for (UnsupportedOption u : UnsupportedOption.ALL) {
            JsonNode node = Trees.at(tree, u.key());
            Map<String, String> env = layers.unsupportedEnv(u);
            if ((node != null || !env.isEmpty()) && u.active(node, env)) {
                String origin = node != null ? report.originWithin(u.key())
                        : "environment variable " + layers.unsupportedEnvName(u);
                report.warn(u.key() + (origin == null ? "" : " (set by " + origin + ")") + NOT_SUPPORTED + u.note());
            }
        }
        walk(tree, "", report);
        JsonNode namespaces = Trees.at(tree, NAMESPACES_KEY);
        if (namespaces != null && namespaces.isArray()) {
            for (int i = 0; i < namespaces.size(); i++) {
                if (namespaces.get(i).isObject()) {
                    walkChannelOptions((ObjectNode) namespaces.get(i), NAMESPACES_KEY + "[" + i + "]", true, report);
                }
            }
        }
    }

    private static void walk(ObjectNode node, String path, ConfigReport report) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode child = field.getValue();
            if (KeyIndex.SUPPORTED.containsKey(key) || KeyIndex.UNSUPPORTED.containsKey(key)) {
                continue;
            }
            boolean withoutNamespace = key.equals(WITHOUT_NAMESPACE_KEY);
            if (withoutNamespace || KeyIndex.SECTIONS.contains(key)) {
                if (child.isObject()) {
                    if (withoutNamespace) {
                        walkChannelOptions((ObjectNode) child, key, false, report);
                    } else {
                        walk((ObjectNode) child, key, report);
                    }
                } else if (!child.isNull()) {
                    report.error(key, "expected an object of options, got " + Values.show(child));
                }
                continue;
            }
            unknown(key, Suggestions.forKey(key, KeyIndex.childrenOf(path)).orElse(null), report);
        }
    }

    private static void walkChannelOptions(ObjectNode node, String path, boolean namespace, ConfigReport report) {
        List<String> siblings = new ArrayList<>(KeyIndex.CHANNEL.keySet());
        siblings.addAll(KeyIndex.UNSUPPORTED_CHANNEL.keySet());
        if (namespace) {
            siblings.add("name");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            String key = path + "." + name;
            if (KeyIndex.CHANNEL.containsKey(name) || ProxyConfigDecoder.CHANNEL_SWITCHES.contains(name)
                    || (namespace && name.equals("name"))) {
                continue;
            }
            UnsupportedOption u = KeyIndex.UNSUPPORTED_CHANNEL.get(name);
            if (u != null) {
                // Under without_namespace the absolute entry in UnsupportedOption.ALL already reported it.
                if (namespace && u.active(field.getValue(), Map.of())) {
                    String origin = report.originOf(key);
                    report.warn(key + (origin == null ? "" : " (set by " + origin + ")") + NOT_SUPPORTED + u.note());
                }
                continue;
            }
            String suggestion = Suggestions.closest(name, siblings).map(s -> path + "." + s).orElse(null);
            unknown(key, suggestion, report);
        }
    }

    private static void unknown(String key, String suggestion, ConfigReport report) {
        String origin = report.originOf(key);
        report.unknown("unknown option " + key + (origin == null ? "" : " (from " + origin + ")")
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
    }
}
