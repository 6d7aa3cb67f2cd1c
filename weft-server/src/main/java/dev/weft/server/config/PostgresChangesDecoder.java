package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.postgres.changes.ChangeEvent;
import dev.weft.postgres.changes.ChangeStreamConfig;
import dev.weft.postgres.changes.ChannelTemplate;
import dev.weft.postgres.changes.TableRule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code postgres_changes} (a Weft addition: Centrifugo has no equivalent), the Postgres change streams,
 * as a whole: a list of stream objects, each with its table rules. Every problem is reported with its path
 * ({@code postgres_changes[0].tables[1].channel}). Stateless.
 */
final class PostgresChangesDecoder {
    static final String KEY = "postgres_changes";
    static final String DESCRIPTION = "Weft addition: Postgres change streams (logical replication, `pgoutput`). "
            + "A list of objects: `name` (lower-case, unique), `dsn` (`postgresql://user:pass@host:port/db`; the "
            + "user needs REPLICATION), `slot` and `publication` (default `weft_<name>`, created when missing), "
            + "`lag_warn_size` (bytes of WAL the slot may hold back before a WARN, default 268435456, 0 = never), "
            + "`lag_check_interval` (default `\"10s\"`) and `tables`: rules with `table` (`schema.table`), "
            + "`channel` (a name, or a template such as `orders:{id}` filled from the row), `columns` (default "
            + "all) and `events` (`insert`, `update`, `delete`, `truncate`; default the first three). Over the "
            + "environment: a JSON list. See docs/postgres.md#change-streams.";
    private static final Set<String> STREAM_KEYS = Set.of("name", "dsn", "slot", "publication", "lag_warn_size",
            "lag_check_interval", "tables");
    private static final Set<String> RULE_KEYS = Set.of("table", "channel", "columns", "events");

    private PostgresChangesDecoder() {
    }

    static List<ChangeStreamConfig> decode(JsonNode tree, ConfigReport report) {
        JsonNode list = Trees.at(tree, KEY);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            report.error(KEY, "expected a list of change stream objects, got " + Values.show(list));
            return List.of();
        }
        List<ChangeStreamConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> slots = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = KEY + "[" + i + "]";
            ChangeStreamConfig config = stream(list.get(i), path, report);
            if (config == null) {
                continue;
            }
            if (!names.add(config.name())) {
                report.error(path + ".name", "duplicate change stream name \"" + config.name() + "\"");
            } else if (!slots.add(config.dsn() + " " + config.slot())) {
                report.error(path + ".slot", "slot \"" + config.slot() + "\" is read by another change stream");
            } else {
                out.add(config);
            }
        }
        return List.copyOf(out);
    }

    private static ChangeStreamConfig stream(JsonNode node, String path, ConfigReport report) {
        if (!node.isObject()) {
            report.error(path, "expected a change stream object, got " + Values.show(node));
            return null;
        }
        unknownKeys(node, STREAM_KEYS, path, report);
        int errors = report.errorCount();
        String name = read(node, "name", Values.nonEmptyString(), null, path, report);
        String dsn = read(node, "dsn", Values.nonEmptyString(), null, path, report);
        String slot = read(node, "slot", Values.string(), "", path, report);
        String publication = read(node, "publication", Values.string(), "", path, report);
        Long lagWarn = read(node, "lag_warn_size", Values.bytes(0), ChangeStreamConfig.DEFAULT_LAG_WARN_BYTES, path,
                report);
        Duration lagCheck = read(node, "lag_check_interval", Values.duration(Duration.ofMillis(100)),
                ChangeStreamConfig.DEFAULT_LAG_CHECK_INTERVAL, path, report);
        List<TableRule> rules = new ArrayList<>();
        JsonNode tables = node.get("tables");
        if (tables == null || !tables.isArray() || tables.isEmpty()) {
            report.error(path + ".tables", "required: a list of at least one table rule");
        } else {
            for (int i = 0; i < tables.size(); i++) {
                TableRule rule = rule(tables.get(i), path + ".tables[" + i + "]", report);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (report.errorCount() > errors) {
            return null;
        }
        try {
            return new ChangeStreamConfig(name, dsn, slot, publication, rules, lagWarn, lagCheck, List.of());
        } catch (IllegalArgumentException e) {
            report.error(path, e.getMessage());
            return null;
        }
    }

    private static TableRule rule(JsonNode node, String path, ConfigReport report) {
        if (!node.isObject()) {
            report.error(path, "expected a table rule object, got " + Values.show(node));
            return null;
        }
        unknownKeys(node, RULE_KEYS, path, report);
        int errors = report.errorCount();
        String table = read(node, "table", Values.nonEmptyString(), null, path, report);
        String channel = read(node, "channel", Values.nonEmptyString(), null, path, report);
        List<String> columns = read(node, "columns", Values.stringList(), List.of(), path, report);
        List<String> eventNames = read(node, "events", Values.stringList(), List.of(), path, report);
        if (report.errorCount() > errors) {
            return null;
        }
        try {
            Set<ChangeEvent> events = EnumSet.noneOf(ChangeEvent.class);
            for (String event : eventNames) {
                events.add(ChangeEvent.parse(event));
            }
            ChannelTemplate template = ChannelTemplate.parse(channel);
            if (!columns.isEmpty() && !columns.containsAll(template.columns())) {
                // The channel may read a column the payload leaves out: allowed, but say so once.
                report.warn(path + ": channel " + channel + " reads columns not in `columns`; they name the "
                        + "channel but are not in the payload");
            }
            return new TableRule(table, template, columns, events);
        } catch (IllegalArgumentException e) {
            report.error(path, e.getMessage());
            return null;
        }
    }

    private static <T> T read(JsonNode node, String field, Values.Decoder<T> decoder, T fallback, String path,
                              ConfigReport report) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                report.error(path + "." + field, "required");
            }
            return fallback;
        }
        try {
            return decoder.decode(value);
        } catch (Values.BadValue e) {
            report.error(path + "." + field, e.getMessage());
            return fallback;
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String path, ConfigReport report) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                report.error(path + "." + field, "unknown key (expected one of " + new java.util.TreeSet<>(known)
                        + ")");
            }
        }
    }
}
