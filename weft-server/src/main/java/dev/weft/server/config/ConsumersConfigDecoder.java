package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.postgres.outbox.OutboxConfig;
import dev.weft.store.postgres.PostgresDsn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads Centrifugo v6's {@code consumers} list: entries of type {@code postgresql} become {@link OutboxConfig}s
 * (when {@code enabled}); the other types (Kafka, NATS JetStream, Redis Streams, cloud queues) are reported as
 * not supported and skipped, so a Centrifugo file that has them still loads. Every problem of a
 * {@code postgresql} entry is reported with its path ({@code consumers[0].postgresql.dsn}). Stateless.
 */
final class ConsumersConfigDecoder {
    static final String KEY = "consumers";
    static final String DESCRIPTION = "Asynchronous consumers, Centrifugo v6's list: objects with a unique `name`, "
            + "`enabled`, `type` and that type's options. Type `postgresql` (the transactional outbox): "
            + "`postgresql.dsn` (`postgresql://user:password@host:5432/db`, required), `outbox_table_name` "
            + "(required, e.g. `\"centrifugo_outbox\"`), `num_partitions` (1), `partition_select_limit` (100), "
            + "`partition_poll_interval` (`\"300ms\"`), `partition_notification_channel` (LISTEN channel, "
            + "e.g. `\"centrifugo_partition_change\"`), `partition_notification_dsn`, `use_try_lock` (false), "
            + "`tls` (`enabled`, `insecure_skip_verify`, `server_ca_pem`/`cert_pem`/`key_pem` as file paths) and, a "
            + "Weft addition, `dead_letter_table_name` (default `<outbox_table_name>_dead_letter`). Other types "
            + "are reported and skipped. See docs/postgres.md#outbox.";

    private static final Set<String> ENTRY_KEYS = Set.of("name", "enabled", "type", "postgresql");
    private static final Set<String> OTHER_TYPES = Set.of("kafka", "nats_jetstream", "redis_stream",
            "google_pub_sub", "aws_sqs", "azure_service_bus");
    private static final Set<String> POSTGRES_KEYS = Set.of("dsn", "outbox_table_name", "num_partitions",
            "partition_select_limit", "partition_poll_interval", "partition_notification_channel",
            "partition_notification_dsn", "use_try_lock", "tls", "dead_letter_table_name");
    private static final Set<String> TLS_KEYS = Set.of("enabled", "insecure_skip_verify", "server_ca_pem",
            "cert_pem", "key_pem", "server_name", "client_ca_pem");

    private ConsumersConfigDecoder() {
    }

    static List<OutboxConfig> decode(JsonNode tree, ConfigReport report) {
        JsonNode list = Trees.at(tree, KEY);
        List<OutboxConfig> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            report.error(KEY, "expected a list of consumer objects, got " + Values.show(list));
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = KEY + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                report.error(path, "expected a consumer object, got " + Values.show(entry));
                continue;
            }
            unknownKeys(entry, path, ENTRY_KEYS, OTHER_TYPES, report);
            String name = text(entry, "name");
            if (name.isEmpty() || !names.add(name)) {
                report.error(path + ".name", name.isEmpty() ? "required" : "duplicate consumer name \"" + name + "\"");
                continue;
            }
            String type = text(entry, "type");
            if (!Values.flag(entry.get("enabled"), path + ".enabled", report)) {
                continue;
            }
            if (OTHER_TYPES.contains(type)) {
                report.warn(path + " (" + name + "): consumers of type " + type
                        + " are not supported; only postgresql. Skipped.");
                continue;
            }
            if (!type.equals("postgresql")) {
                report.error(path + ".type", "expected postgresql (or one of " + OTHER_TYPES
                        + ", not supported), got \"" + type + "\"");
                continue;
            }
            OutboxConfig config = postgres(name, entry.get("postgresql"), path + ".postgresql", report);
            if (config != null) {
                out.add(config);
            }
        }
        return out;
    }

    private static OutboxConfig postgres(String name, JsonNode pg, String path, ConfigReport report) {
        if (pg == null || !pg.isObject()) {
            report.error(path, "required: an object with dsn and outbox_table_name");
            return null;
        }
        int errors = report.errorCount();
        unknownKeys(pg, path, POSTGRES_KEYS, Set.of(), report);
        String dsn = text(pg, "dsn");
        checkDsn(dsn, path + ".dsn", true, report);
        String notificationDsn = text(pg, "partition_notification_dsn");
        checkDsn(notificationDsn, path + ".partition_notification_dsn", false, report);
        String table = text(pg, "outbox_table_name");
        if (!OutboxConfig.TABLE_NAME.matcher(table).matches()) {
            report.error(path + ".outbox_table_name", table.isEmpty() ? "required"
                    : "expected a table name (optionally schema.table), got \"" + table + "\"");
        }
        String deadLetter = text(pg, "dead_letter_table_name");
        if (!deadLetter.isEmpty() && !OutboxConfig.TABLE_NAME.matcher(deadLetter).matches()) {
            report.error(path + ".dead_letter_table_name", "expected a table name, got \"" + deadLetter + "\"");
        }
        // Zero means "default", as in Centrifugo.
        int partitions = Values.fieldOr(pg, "num_partitions", path, Values.integer(0, 1024), 0, report);
        int limit = Values.fieldOr(pg, "partition_select_limit", path, Values.integer(0, 100_000), 0, report);
        Duration poll = Values.fieldOr(pg, "partition_poll_interval", path, Values.duration(Duration.ZERO),
                Duration.ZERO, report);
        boolean tryLock = Values.fieldOr(pg, "use_try_lock", path, Values.bool(), false, report);
        Properties tls = tls(pg.get("tls"), path + ".tls", report);
        if (report.errorCount() > errors) {
            return null;
        }
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetter,
                partitions == 0 ? OutboxConfig.DEFAULT_NUM_PARTITIONS : partitions,
                limit == 0 ? OutboxConfig.DEFAULT_SELECT_LIMIT : limit,
                poll.isZero() ? OutboxConfig.DEFAULT_POLL_INTERVAL : poll,
                text(pg, "partition_notification_channel"), tryLock, tls);
    }

    /**
     * Centrifugo's TLS object as pgjdbc properties: {@code sslmode} {@code verify-full} ({@code require} with
     * {@code insecure_skip_verify}) and the PEM files. Inline PEM text is refused (pgjdbc reads files).
     */
    private static Properties tls(JsonNode node, String path, ConfigReport report) {
        Properties p = new Properties();
        if (node == null || node.isNull()) {
            return p;
        }
        if (!node.isObject()) {
            report.error(path, "expected a TLS object, got " + Values.show(node));
            return p;
        }
        unknownKeys(node, path, TLS_KEYS, Set.of(), report);
        if (!Values.flag(node.get("enabled"), path + ".enabled", report)) {
            return p;
        }
        p.setProperty("ssl", "true");
        boolean insecure = Values.flag(node.get("insecure_skip_verify"), path + ".insecure_skip_verify", report);
        p.setProperty("sslmode", insecure ? "require" : "verify-full");
        for (Map.Entry<String, String> e : Map.of("server_ca_pem", "sslrootcert", "cert_pem", "sslcert",
                "key_pem", "sslkey").entrySet()) {
            String value = text(node, e.getKey());
            if (value.isEmpty()) {
                continue;
            }
            if (!Files.isRegularFile(Path.of(value))) {
                report.error(path + "." + e.getKey(), "expected the path of a PEM file (inline PEM is not "
                        + "supported for Postgres), got a value that is no file");
                continue;
            }
            p.setProperty(e.getValue(), value);
        }
        return p;
    }

    private static void checkDsn(String dsn, String key, boolean required, ConfigReport report) {
        if (dsn.isEmpty()) {
            if (required) {
                report.error(key, "required: postgresql://user:password@host:5432/db");
            }
            return;
        }
        try {
            PostgresDsn.parse(dsn);
        } catch (IllegalArgumentException e) {
            report.error(key, e.getMessage());
        }
    }

    private static String text(JsonNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || !node.isTextual() ? "" : node.textValue().strip();
    }

    private static void unknownKeys(JsonNode object, String path, Set<String> known, Set<String> ignored,
                                    ConfigReport report) {
        object.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k) && !ignored.contains(k)) {
                report.error(path + "." + k, "unknown option (expected one of " + new java.util.TreeSet<>(known)
                        + ")");
            }
        });
    }
}
