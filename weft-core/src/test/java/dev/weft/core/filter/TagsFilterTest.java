package dev.weft.core.filter;

import dev.weft.protocol.model.FilterNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of Centrifugo's publication_filtering.md, and the filters Centrifuge's validator refuses. */
class TagsFilterTest {
    private static final Map<String, String> TAGS = Map.of("ticker", "AAPL", "source", "NASDAQ",
            "price", "150.25", "category", "tech", "volume", "1000");

    @Test
    void everyDocumentedComparisonMatchesTheDocumentedTags() {
        List<FilterNode> matching = List.of(leaf("ticker", "eq", "AAPL"), leaf("source", "neq", "TEST"),
                set("category", "in", "tech", "finance"), set("ticker", "nin", "MSFT", "GOOGL"),
                leaf("price", "ex", ""), leaf("internal_id", "nex", ""), leaf("ticker", "sw", "AA"),
                leaf("source", "ew", "DAQ"), leaf("category", "ct", "ec"), leaf("price", "gt", "100"),
                leaf("volume", "gte", "1000"), leaf("price", "lt", "200"), leaf("volume", "lte", "1000"));
        for (FilterNode f : matching) {
            TagsFilter.validate(f);
            assertThat(TagsFilter.matches(f, TAGS)).as("%s", f).isTrue();
        }
    }

    @Test
    void comparisonsFailWhereTheyShould() {
        assertThat(TagsFilter.matches(leaf("ticker", "eq", "MSFT"), TAGS)).isFalse();
        assertThat(TagsFilter.matches(leaf("missing", "eq", "x"), TAGS)).isFalse();
        assertThat(TagsFilter.matches(leaf("missing", "neq", "x"), TAGS)).isTrue();
        assertThat(TagsFilter.matches(leaf("price", "gt", "150.25"), TAGS)).isFalse();
        assertThat(TagsFilter.matches(leaf("ticker", "gt", "1"), TAGS)).as("not a number").isFalse();
        assertThat(TagsFilter.matches(leaf("missing", "lt", "1"), TAGS)).isFalse();
        assertThat(TagsFilter.matches(set("missing", "in", "x"), TAGS)).isFalse();
    }

    @Test
    void logicalNodesCombine() {
        FilterNode and = node("and", leaf("ticker", "eq", "AAPL"), leaf("category", "eq", "tech"));
        FilterNode or = node("or", leaf("ticker", "eq", "MSFT"), leaf("category", "eq", "tech"));
        FilterNode not = node("not", leaf("source", "eq", "NYSE"));
        FilterNode nested = node("and", or, node("not", and));
        for (FilterNode f : List.of(and, or, not, nested)) {
            TagsFilter.validate(f);
        }
        assertThat(TagsFilter.matches(and, TAGS)).isTrue();
        assertThat(TagsFilter.matches(or, TAGS)).isTrue();
        assertThat(TagsFilter.matches(not, TAGS)).isTrue();
        assertThat(TagsFilter.matches(nested, TAGS)).isFalse();
    }

    @Test
    void malformedFiltersAreRefused() {
        for (FilterNode f : List.of(leaf("k", "", "v"), leaf("k", "eq", ""), leaf("", "eq", "v"),
                leaf("k", "like", "v"), new FilterNode("", "k", "in", "v", List.of("a"), List.of()),
                new FilterNode("", "k", "eq", "v", List.of("a"), List.of()), set("k", "in"),
                leaf("k", "ex", "v"), node("and"), node("not", leaf("a", "ex", ""), leaf("b", "ex", "")),
                node("xor", leaf("a", "ex", "")), node("or", leaf("a", "eq", "")))) {
            assertThatThrownBy(() -> TagsFilter.validate(f)).as("%s", f).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static FilterNode leaf(String key, String cmp, String val) {
        return FilterNode.leaf(key, cmp, val);
    }

    private static FilterNode set(String key, String cmp, String... vals) {
        return new FilterNode("", key, cmp, "", List.of(vals), List.of());
    }

    private static FilterNode node(String op, FilterNode... nodes) {
        return new FilterNode(op, "", "", "", List.of(), List.of(nodes));
    }
}
