package dev.weft.postgres.changes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.postgres.changes.PgOutputMessage.Column;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON of one change, written from Postgres' bytes; and the channel templates that route it. */
class ChangePayloadTest {
    private static final Relation ORDERS = new Relation(7, "public", "orders", 'd', List.of(
            new Column(true, "id", 23, -1), new Column(false, "note", 25, -1), new Column(false, "body", 25, -1)));
    private static final TableRule ALL = rule("orders:{id}", List.of());

    @Test
    void valuesAreCopiedAsBytesWithOnlyJsonsEscapes() throws Exception {
        byte[] json = ChangePayload.write(ChangeEvent.INSERT, ORDERS, ALL, 0x16B3748L, -1,
                row("1", "caf\u00e9 \u0001\"\\\t\u2028", null), null, false);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"op\":\"insert\",\"table\":\"public.orders\","
                + "\"lsn\":\"0/16B3748\",\"xid\":4294967295,\"new\":{\"id\":\"1\",\"note\":\"caf\u00e9 \\u0001\\\"\\\\\\t"
                + "\u2028\",\"body\":null}}");
        assertThat(new ObjectMapper().readTree(json).get("new").get("note").asText())
                .isEqualTo("caf\u00e9 \u0001\"\\\t\u2028");
    }

    @Test
    void anUnchangedToastedValueIsLeftOutAndAKeyOnlyOldRowHoldsTheKey() {
        TupleData row = TupleData.of(Arrays.asList(bytes("1"), bytes("n"), TupleData.UNCHANGED));
        TupleData oldKey = TupleData.of(Arrays.asList(bytes("0"), null, null));

        String json = new String(ChangePayload.write(ChangeEvent.UPDATE, ORDERS, ALL, 1, 2, row, oldKey, true),
                StandardCharsets.UTF_8);

        assertThat(json).endsWith("\"new\":{\"id\":\"1\",\"note\":\"n\"},\"old\":{\"id\":\"0\"}}");
    }

    @Test
    void aColumnFilterKeepsTableOrder() {
        String json = new String(ChangePayload.write(ChangeEvent.DELETE, ORDERS, rule("o", List.of("body", "id")),
                1, 2, null, row("1", "x", "y"), false), StandardCharsets.UTF_8);

        assertThat(json).endsWith("\"old\":{\"id\":\"1\",\"body\":\"y\"}}");
    }

    @Test
    void templatesAreFilledFromTheRowAndRefuseWhatTheyCannotFill() {
        ChannelTemplate template = ChannelTemplate.parse("t:{tenant}:orders:{id}");
        assertThat(template.columns()).containsExactly("tenant", "id");
        assertThat(template.render(c -> bytes(c.equals("tenant") ? "acme" : "42"))).isEqualTo("t:acme:orders:42");
        assertThat(template.render(c -> null)).isNull();
        assertThat(ChannelTemplate.parse("orders").isConstant()).isTrue();
        assertThatThrownBy(() -> ChannelTemplate.parse("x:{id")).hasMessageContaining("without '}'");
        assertThatThrownBy(() -> ChannelTemplate.parse("x:{}")).hasMessageContaining("empty {}");
    }

    @Test
    void aRouteSkipsARowWhoseChannelColumnIsNull() {
        ChangeRouter router = new ChangeRouter(List.of(rule("orders:{note}", List.of()), rule("orders", List.of())));

        List<ChangeRouter.Routed> routed = router.route(ChangeEvent.INSERT, ORDERS, row("1", null, "b"), null, false,
                1, 2);

        assertThat(routed).extracting(ChangeRouter.Routed::channel).containsExactly("orders");
    }

    private static TableRule rule(String channel, List<String> columns) {
        return new TableRule("public.orders", ChannelTemplate.parse(channel), columns, Set.of());
    }

    private static TupleData row(String... values) {
        return TupleData.of(Arrays.stream(values).map(v -> v == null ? null : bytes(v)).toList());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
