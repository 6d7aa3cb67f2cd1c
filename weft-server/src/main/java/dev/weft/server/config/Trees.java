package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Dotted-path access to the merged configuration tree. Stateless; any thread (the tree is the caller's). */
final class Trees {

    private Trees() {
    }

    /** The node at a dotted path, or null when absent, JSON null, or a step is not an object. */
    static JsonNode at(JsonNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** Sets the node at a dotted path, creating (or replacing non-object) sections on the way. */
    static void put(ObjectNode root, String dotted, JsonNode value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = JsonNodeFactory.instance.objectNode();
                node.set(parts[i], child);
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** Removes the node at a dotted path, if there is one. */
    static void remove(ObjectNode root, String dotted) {
        int dot = dotted.lastIndexOf('.');
        JsonNode parent = dot < 0 ? root : at(root, dotted.substring(0, dot));
        if (parent instanceof ObjectNode section) {
            section.remove(dotted.substring(dot + 1));
        }
    }
}
