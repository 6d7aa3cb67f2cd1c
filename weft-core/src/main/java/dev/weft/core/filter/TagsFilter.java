package dev.weft.core.filter;

import dev.weft.protocol.model.FilterNode;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Centrifugo's publication tags filter ({@code tf}, {@code internal/filter} in Centrifuge): validation of a
 * client's filter, and whether a publication's tags match it. Comparisons: {@code eq}, {@code neq},
 * {@code in}, {@code nin}, {@code ex}, {@code nex}, {@code sw}, {@code ew}, {@code ct}, and the numeric
 * {@code gt}, {@code gte}, {@code lt}, {@code lte} (a tag or value that is not a decimal number never matches);
 * {@code and}/{@code or} over one or more nodes, {@code not} over exactly one. Stateless, thread-safe.
 */
public final class TagsFilter {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private TagsFilter() {
    }

    /** @throws IllegalArgumentException saying what is wrong, as Centrifuge's {@code filter.Validate} */
    public static void validate(FilterNode f) {
        switch (f.op()) {
            case "" -> validateLeaf(f);
            case "and", "or" -> {
                if (f.nodes().isEmpty()) {
                    throw new IllegalArgumentException(f.op() + " node must have at least one child");
                }
                f.nodes().forEach(TagsFilter::validate);
            }
            case "not" -> {
                if (f.nodes().size() != 1) {
                    throw new IllegalArgumentException("not node must have exactly one child");
                }
                validate(f.nodes().getFirst());
            }
            default -> throw new IllegalArgumentException("invalid op: " + f.op());
        }
    }

    private static void validateLeaf(FilterNode f) {
        switch (f.cmp()) {
            case "eq", "neq", "sw", "ew", "ct", "gt", "gte", "lt", "lte" -> {
                if (f.val().isEmpty()) {
                    throw new IllegalArgumentException(f.cmp() + " comparison requires val");
                }
                if (!f.vals().isEmpty()) {
                    throw new IllegalArgumentException(f.cmp() + " comparison must not use vals");
                }
            }
            case "in", "nin" -> {
                if (f.vals().isEmpty()) {
                    throw new IllegalArgumentException(f.cmp() + " comparison requires non-empty vals");
                }
                if (!f.val().isEmpty()) {
                    throw new IllegalArgumentException(f.cmp() + " comparison must not use val");
                }
            }
            case "ex", "nex" -> {
                if (!f.val().isEmpty() || !f.vals().isEmpty()) {
                    throw new IllegalArgumentException(f.cmp() + " comparison must not use val or vals");
                }
            }
            case "" -> throw new IllegalArgumentException("leaf node must have cmp set");
            default -> throw new IllegalArgumentException("unknown comparison operator: " + f.cmp());
        }
        if (f.key().isEmpty() && !f.cmp().equals("ex") && !f.cmp().equals("nex")) {
            throw new IllegalArgumentException("leaf node requires key");
        }
    }

    /** Whether {@code tags} match {@code f}, which {@link #validate} accepted. */
    public static boolean matches(FilterNode f, Map<String, String> tags) {
        return switch (f.op()) {
            case "and" -> f.nodes().stream().allMatch(n -> matches(n, tags));
            case "or" -> f.nodes().stream().anyMatch(n -> matches(n, tags));
            case "not" -> !matches(f.nodes().getFirst(), tags);
            default -> leaf(f, tags.get(f.key()));
        };
    }

    private static boolean leaf(FilterNode f, String value) {
        boolean present = value != null;
        return switch (f.cmp()) {
            case "eq" -> present && value.equals(f.val());
            case "neq" -> !present || !value.equals(f.val());
            case "in" -> f.vals().contains(present ? value : "");
            case "nin" -> !f.vals().contains(present ? value : "");
            case "ex" -> present;
            case "nex" -> !present;
            case "sw" -> present && value.startsWith(f.val());
            case "ew" -> present && value.endsWith(f.val());
            case "ct" -> present && value.contains(f.val());
            default -> present && compare(f.cmp(), value, f.val());
        };
    }

    private static boolean compare(String cmp, String value, String bound) {
        if (!DECIMAL.matcher(value).matches() || !DECIMAL.matcher(bound).matches()) {
            return false;
        }
        int c = new BigDecimal(value).compareTo(new BigDecimal(bound));
        return switch (cmp) {
            case "gt" -> c > 0;
            case "gte" -> c >= 0;
            case "lt" -> c < 0;
            default -> c <= 0;
        };
    }
}
