package dev.weft.postgres.changes;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which changes of one table become publications, and where they go.
 *
 * @param table   {@code schema.table}; a name without a schema means {@code public}
 * @param channel where each change is published (placeholders read the new row, or the old one for deletes)
 * @param columns the columns a payload carries (in table order); empty = every column
 * @param events  the kinds of change published; empty = insert, update and delete
 */
public record TableRule(String table, ChannelTemplate channel, List<String> columns, Set<ChangeEvent> events) {

    public TableRule {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table is empty");
        }
        table = table.contains(".") ? table.strip() : "public." + table.strip();
        columns = columns == null ? List.of() : List.copyOf(columns);
        events = events == null || events.isEmpty()
                ? Set.copyOf(EnumSet.of(ChangeEvent.INSERT, ChangeEvent.UPDATE, ChangeEvent.DELETE))
                : Set.copyOf(events);
        if (channel == null) {
            throw new IllegalArgumentException("table " + table + ": channel is empty");
        }
    }

    /** Whether the payload carries {@code column}. */
    public boolean includes(String column) {
        return columns.isEmpty() || columns.contains(column);
    }
}
