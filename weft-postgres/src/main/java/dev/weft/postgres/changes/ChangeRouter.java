package dev.weft.postgres.changes;

import dev.weft.postgres.changes.PgOutputMessage.Column;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one row change into the publications the rules ask for, in rule order: a channel from the rule's
 * template and a {@link ChangePayload}. A change whose channel cannot be made (a placeholder column NULL or not
 * sent) is logged and skipped. Immutable; any thread.
 */
public final class ChangeRouter {
    private static final Logger log = LoggerFactory.getLogger(ChangeRouter.class);

    /** A publication to make: where, and the JSON to publish. */
    public record Routed(String channel, byte[] payload) {
    }

    private final Map<String, List<TableRule>> rulesByTable;

    public ChangeRouter(List<TableRule> rules) {
        Map<String, List<TableRule>> byTable = new LinkedHashMap<>();
        for (TableRule rule : rules) {
            byTable.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add(rule);
        }
        byTable.replaceAll((table, list) -> List.copyOf(list));
        this.rulesByTable = Map.copyOf(byTable);
    }

    /** The tables some rule reads ({@code schema.table}), for the publication. */
    public List<String> tables() {
        return List.copyOf(rulesByTable.keySet());
    }

    /**
     * @param row     the new row (insert, update), else null
     * @param old     the old row when sent (update, delete), else null
     * @param oldKeys {@code old} holds only the key columns
     */
    public List<Routed> route(ChangeEvent op, Relation relation, TupleData row, TupleData old, boolean oldKeys,
                              long commitLsn, int xid) {
        List<TableRule> rules = rulesByTable.getOrDefault(relation.qualifiedName(), List.of());
        List<Routed> out = new ArrayList<>(rules.size());
        for (TableRule rule : rules) {
            if (!rule.events().contains(op)) {
                continue;
            }
            TupleData source = row != null ? row : old;
            String channel;
            if (rule.channel().isConstant()) {
                channel = rule.channel().render(c -> null);
            } else if (source == null) {
                log.debug("{} on {}: no row to fill channel {} from, skipped", op.wireName(),
                        relation.qualifiedName(), rule.channel());
                continue;
            } else {
                channel = rule.channel().render(column -> value(relation, source, column));
            }
            if (channel == null) {
                log.warn("{} on {} (commit {}, xid {}): channel {} needs a column that is NULL or was not sent "
                                + "(see REPLICA IDENTITY); change skipped", op.wireName(), relation.qualifiedName(),
                        org.postgresql.replication.LogSequenceNumber.valueOf(commitLsn).asString(),
                        Integer.toUnsignedString(xid), rule.channel());
                continue;
            }
            out.add(new Routed(channel, ChangePayload.write(op, relation, rule, commitLsn, xid, row, old, oldKeys)));
        }
        return out;
    }

    private static byte[] value(Relation relation, TupleData row, String column) {
        List<Column> columns = relation.columns();
        for (int i = 0; i < columns.size() && i < row.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return row.value(i);
            }
        }
        return null;
    }
}
