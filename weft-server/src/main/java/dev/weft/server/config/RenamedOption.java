package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A key Weft documented once and has since moved. A config that still sets the old key keeps working: its
 * value is moved to the new key with a warning naming it, so an upgrade never silently drops a setting (a
 * dropped {@code docs.data_dir} would make every stored document look gone). Setting both keys to different
 * values is an error, since either choice could be the wrong one.
 *
 * @param oldKey dotted key as it was documented
 * @param newKey dotted key of the supported option that replaced it
 */
public record RenamedOption(String oldKey, String newKey) {

    /** Every renamed key, oldest first. */
    static final List<RenamedOption> ALL = List.of(new RenamedOption("docs.data_dir", "data_dir"));

    /**
     * Moves the values of every old key in {@code tree} (file, environment and overrides already merged) to
     * its new key, so decoding and the key check see only the new one.
     */
    static void apply(ObjectNode tree, ConfigReport report) {
        for (RenamedOption r : ALL) {
            JsonNode old = Trees.at(tree, r.oldKey);
            if (old == null) {
                continue;
            }
            Trees.remove(tree, r.oldKey);
            String oldOrigin = report.originOf(r.oldKey);
            String setBy = oldOrigin == null ? "" : " (set by " + oldOrigin + ")";
            JsonNode current = Trees.at(tree, r.newKey);
            if (current != null && !sameValue(current, old)) {
                String newOrigin = report.originOf(r.newKey);
                report.error(r.newKey, "set to " + Values.show(current) + (newOrigin == null ? "" : " by "
                        + newOrigin) + " and, under its old name " + r.oldKey + setBy + ", to " + Values.show(old)
                        + "; remove " + r.oldKey);
                continue;
            }
            Trees.put(tree, r.newKey, old);
            if (oldOrigin != null) {
                report.origin(r.newKey, oldOrigin);
            }
            report.warn(r.oldKey + setBy + " is deprecated: use " + r.newKey + " (environment variable "
                    + OptionCatalog.envVar(r.newKey) + ") instead; its value was applied to " + r.newKey);
        }
    }

    /** The old key's environment variable, {@code WEFT_} form. */
    public String oldEnvVar() {
        return OptionCatalog.envVar(oldKey);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        return a.isValueNode() && b.isValueNode() ? a.asText().equals(b.asText()) : a.equals(b);
    }
}
