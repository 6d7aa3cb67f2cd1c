package dev.weft.protocol.model;

import java.util.List;

/**
 * A publication tags filter (subscribe {@code tf}), as Centrifugo's {@code FilterNode}: a leaf ({@code op}
 * empty) compares the tag {@code key} by {@code cmp} with {@code val} or {@code vals}; {@code and}, {@code or}
 * and {@code not} combine {@code nodes}. Validation and evaluation live with the engine.
 */
public record FilterNode(String op, String key, String cmp, String val, List<String> vals, List<FilterNode> nodes) {
    public FilterNode {
        op = op == null ? "" : op;
        key = key == null ? "" : key;
        cmp = cmp == null ? "" : cmp;
        val = val == null ? "" : val;
        vals = vals == null ? List.of() : List.copyOf(vals);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public static FilterNode leaf(String key, String cmp, String val) {
        return new FilterNode("", key, cmp, val, List.of(), List.of());
    }
}
