package dev.weft.postgres.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * One {@code consumers[]} entry of type {@code postgresql}, Centrifugo v6's keys.
 *
 * @param name                   {@code name}: unique; part of the partition lock names, the same as Centrifugo's
 *                               ({@code centrifugo_partition_lock_<name><partition>}), so Weft and Centrifugo
 *                               nodes consuming one table never run the same partition at once
 * @param dsn                    {@code postgresql.dsn}, libpq URI form ({@code postgresql://user:pass@host:5432/db})
 * @param notificationDsn        {@code postgresql.partition_notification_dsn}: the LISTEN connection's address
 *                               (empty = {@code dsn}); for a {@code dsn} behind PgBouncer in transaction mode
 * @param table                  {@code postgresql.outbox_table_name}, optionally schema-qualified
 * @param deadLetterTable        {@code postgresql.dead_letter_table_name} (Weft addition): where rejected rows go;
 *                               default {@code <table>_dead_letter}
 * @param numPartitions          {@code postgresql.num_partitions}: partitions {@code 0 … n-1}, each consumed in order
 * @param selectLimit            {@code postgresql.partition_select_limit}: rows per transaction
 * @param pollInterval           {@code postgresql.partition_poll_interval}: how often an idle partition is read
 * @param notificationChannel    {@code postgresql.partition_notification_channel}: LISTEN channel whose payload is
 *                               a partition number; empty = polling only
 * @param useTryLock             {@code postgresql.use_try_lock}: {@code pg_try_advisory_xact_lock} instead of
 *                               waiting on {@code pg_advisory_xact_lock}
 * @param connectionProperties   extra JDBC properties (TLS: {@code sslmode}, {@code sslrootcert}, …)
 */
public record OutboxConfig(String name, String dsn, String notificationDsn, String table, String deadLetterTable,
                           int numPartitions, int selectLimit, Duration pollInterval, String notificationChannel,
                           boolean useTryLock, Properties connectionProperties) {

    /** A table name as it may appear in SQL unquoted: {@code name} or {@code schema.name}. */
    public static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");
    public static final int DEFAULT_NUM_PARTITIONS = 1;
    public static final int DEFAULT_SELECT_LIMIT = 100;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(300);

    public OutboxConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dsn, "dsn");
        notificationDsn = notificationDsn == null ? "" : notificationDsn;
        notificationChannel = notificationChannel == null ? "" : notificationChannel;
        connectionProperties = connectionProperties == null ? new Properties() : connectionProperties;
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("outbox_table_name must be a table name (optionally schema.name), got "
                    + table);
        }
        deadLetterTable = deadLetterTable == null || deadLetterTable.isEmpty() ? table + "_dead_letter" : deadLetterTable;
        if (!TABLE_NAME.matcher(deadLetterTable).matches()) {
            throw new IllegalArgumentException("dead_letter_table_name must be a table name, got " + deadLetterTable);
        }
        if (numPartitions < 1 || selectLimit < 1) {
            throw new IllegalArgumentException("num_partitions and partition_select_limit must be at least 1");
        }
        if (pollInterval == null || !pollInterval.isPositive()) {
            throw new IllegalArgumentException("partition_poll_interval must be positive");
        }
    }

    /** A consumer with Centrifugo's defaults and no notifications. */
    public static OutboxConfig of(String name, String dsn, String table) {
        return new OutboxConfig(name, dsn, "", table, "", DEFAULT_NUM_PARTITIONS, DEFAULT_SELECT_LIMIT,
                DEFAULT_POLL_INTERVAL, "", false, null);
    }

    public OutboxConfig withPartitions(int n) {
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetterTable, n, selectLimit, pollInterval,
                notificationChannel, useTryLock, connectionProperties);
    }

    public OutboxConfig withSelectLimit(int n) {
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetterTable, numPartitions, n, pollInterval,
                notificationChannel, useTryLock, connectionProperties);
    }

    public OutboxConfig withPollInterval(Duration d) {
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetterTable, numPartitions, selectLimit, d,
                notificationChannel, useTryLock, connectionProperties);
    }

    public OutboxConfig withNotificationChannel(String channel) {
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetterTable, numPartitions, selectLimit,
                pollInterval, channel, useTryLock, connectionProperties);
    }

    public OutboxConfig withTryLock(boolean v) {
        return new OutboxConfig(name, dsn, notificationDsn, table, deadLetterTable, numPartitions, selectLimit,
                pollInterval, notificationChannel, v, connectionProperties);
    }

    /** The advisory lock of one partition, named as Centrifugo names it. */
    String lockName(int partition) {
        return "centrifugo_partition_lock_" + name + partition;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "OutboxConfig[name=" + name + ", table=" + table + ", partitions=" + numPartitions + ", limit="
                + selectLimit + ", poll=" + pollInterval + ", notify=" + notificationChannel + ", tryLock="
                + useTryLock + "]";
    }
}
