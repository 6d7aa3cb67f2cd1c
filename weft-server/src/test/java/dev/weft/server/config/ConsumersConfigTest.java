package dev.weft.server.config;

import dev.weft.postgres.outbox.OutboxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Centrifugo v6's {@code consumers} list, read as Centrifugo reads it. */
class ConsumersConfigTest {

    private static List<String> problems(String consumersJson) {
        return catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("consumers", consumersJson))).problems();
    }

    @Test
    void aCentrifugoConfigFileWithItsDocumentedOutboxConsumerLoadsUnchanged(@TempDir Path dir) throws Exception {
        // The two snippets of Centrifugo's docs/server/consumers.md, plus a Kafka consumer Weft does not run.
        Path file = Files.writeString(dir.resolve("config.json"), """
                {
                  "consumers": [
                    {
                      "enabled": true,
                      "name": "my_postgresql_consumer",
                      "type": "postgresql",
                      "postgresql": {
                        "dsn": "postgresql://user:password@localhost:5432/db",
                        "outbox_table_name": "centrifugo_outbox",
                        "num_partitions": 1,
                        "partition_select_limit": 100,
                        "partition_poll_interval": "300ms",
                        "partition_notification_channel": "centrifugo_partition_change"
                      }
                    },
                    {"enabled": true, "name": "events", "type": "kafka",
                     "kafka": {"brokers": ["localhost:9092"], "topics": ["t"], "consumer_group": "g"}},
                    {"enabled": false, "name": "off", "type": "postgresql"}
                  ]
                }""");
        LoadedConfig loaded = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());

        assertThat(loaded.config().consumers()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("my_postgresql_consumer");
            assertThat(c.dsn()).isEqualTo("postgresql://user:password@localhost:5432/db");
            assertThat(c.table()).isEqualTo("centrifugo_outbox");
            assertThat(c.deadLetterTable()).isEqualTo("centrifugo_outbox_dead_letter");
            assertThat(c.numPartitions()).isEqualTo(1);
            assertThat(c.selectLimit()).isEqualTo(100);
            assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(300));
            assertThat(c.notificationChannel()).isEqualTo("centrifugo_partition_change");
            assertThat(c.useTryLock()).isFalse();
        });
        assertThat(loaded.warnings()).singleElement().asString().contains("kafka").contains("not supported");
    }

    @Test
    void unsetOrZeroNumbersTakeCentrifugosDefaultsAndTlsBecomesDriverSettings() throws Exception {
        List<OutboxConfig> consumers = ConfigLoader.load(Optional.empty(), Map.of(), Map.of("consumers", """
                [{"name": "o", "enabled": true, "type": "postgresql", "postgresql": {
                  "dsn": "postgres://db/app", "outbox_table_name": "app.outbox", "num_partitions": 0,
                  "use_try_lock": true, "dead_letter_table_name": "app.rejected",
                  "tls": {"enabled": true, "insecure_skip_verify": true}}}]""")).config().consumers();

        OutboxConfig c = consumers.getFirst();
        assertThat(c.numPartitions()).isEqualTo(OutboxConfig.DEFAULT_NUM_PARTITIONS);
        assertThat(c.selectLimit()).isEqualTo(OutboxConfig.DEFAULT_SELECT_LIMIT);
        assertThat(c.pollInterval()).isEqualTo(OutboxConfig.DEFAULT_POLL_INTERVAL);
        assertThat(c.table()).isEqualTo("app.outbox");
        assertThat(c.deadLetterTable()).isEqualTo("app.rejected");
        assertThat(c.useTryLock()).isTrue();
        assertThat(c.connectionProperties()).containsEntry("sslmode", "require");
    }

    @Test
    void everyProblemOfAPostgresqlConsumerIsReportedWithItsPath() {
        assertThat(problems("""
                [{"name": "a", "enabled": true, "type": "postgresql", "postgresql": {
                   "dsn": "mysql://x", "outbox_table_name": "drop table; --", "num_partitions": -1,
                   "partition_poll_interval": 300, "partiton_select_limit": 5}},
                 {"name": "a", "enabled": true, "type": "postgresql"},
                 {"name": "b", "enabled": true, "type": "rabbitmq"}]""")).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("consumers[0].postgresql.partiton_select_limit"),
                p -> assertThat(p).startsWith("consumers[0].postgresql.dsn"),
                p -> assertThat(p).startsWith("consumers[0].postgresql.outbox_table_name"),
                p -> assertThat(p).startsWith("consumers[0].postgresql.num_partitions"),
                p -> assertThat(p).startsWith("consumers[0].postgresql.partition_poll_interval"),
                p -> assertThat(p).startsWith("consumers[1].name").contains("duplicate"),
                p -> assertThat(p).startsWith("consumers[2].type").contains("rabbitmq"));
    }
}
