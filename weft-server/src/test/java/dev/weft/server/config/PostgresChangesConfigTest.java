package dev.weft.server.config;

import dev.weft.postgres.changes.ChangeEvent;
import dev.weft.postgres.changes.ChangeStreamConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code postgres_changes} read from a file and from the environment, and what is refused at start. */
class PostgresChangesConfigTest {

    @Test
    void readsAStreamWithItsRulesFromAYamlFile() throws Exception {
        Path file = Files.createTempFile("weft", ".yaml");
        Files.writeString(file, """
                postgres_changes:
                  - name: shop
                    dsn: postgresql://weft:secret@127.0.0.1:5432/shop
                    lag_warn_size: 1048576
                    lag_check_interval: 5s
                    tables:
                      - table: orders
                        channel: "orders:{id}"
                        columns: [id, status]
                        events: [insert, update]
                      - table: audit.events
                        channel: events
                """);
        try {
            List<ChangeStreamConfig> streams = ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).config()
                    .postgresChanges();

            ChangeStreamConfig shop = streams.getFirst();
            assertThat(shop.slot()).isEqualTo("weft_shop");
            assertThat(shop.publication()).isEqualTo("weft_shop");
            assertThat(shop.lagWarnBytes()).isEqualTo(1048576);
            assertThat(shop.lagCheckInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(shop.tables()).extracting(r -> r.table()).containsExactly("public.orders", "audit.events");
            assertThat(shop.tables().get(0).channel().columns()).containsExactly("id");
            assertThat(shop.tables().get(0).columns()).containsExactly("id", "status");
            assertThat(shop.tables().get(0).events()).containsExactlyInAnyOrder(ChangeEvent.INSERT, ChangeEvent.UPDATE);
            assertThat(shop.tables().get(1).events()).containsExactlyInAnyOrder(ChangeEvent.INSERT,
                    ChangeEvent.UPDATE, ChangeEvent.DELETE);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void readsAJsonListFromTheEnvironment() throws Exception {
        List<ChangeStreamConfig> streams = ConfigLoader.load(Optional.empty(), Map.of("WEFT_POSTGRES_CHANGES",
                "[{\"name\":\"a\",\"dsn\":\"postgresql://h/db\",\"slot\":\"s1\",\"tables\":[{\"table\":\"t\","
                        + "\"channel\":\"t\"}]}]"), Map.of()).config().postgresChanges();

        assertThat(streams).singleElement().satisfies(s -> assertThat(s.slot()).isEqualTo("s1"));
    }

    @Test
    void refusesMissingFieldsUnknownKeysAndBadTemplatesWithTheirPaths() {
        List<String> problems = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                Optional.empty(), Map.of(), Map.of("postgres_changes", """
                        [{"name": "a", "tables": [{"table": "t", "channel": "x:{"}]},
                         {"name": "b", "dsn": "postgresql://h/db", "tabels": []},
                         {"name": "c", "dsn": "postgresql://h/db",
                          "tables": [{"table": "t", "channel": "c", "events": ["upsert"]}]}]"""))).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("postgres_changes[0].dsn: required"))
                .anySatisfy(p -> assertThat(p).startsWith("postgres_changes[0].tables[0]: channel template"))
                .anySatisfy(p -> assertThat(p).startsWith("postgres_changes[1].tabels: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("postgres_changes[1].tables: required"))
                .anySatisfy(p -> assertThat(p).startsWith("postgres_changes[2].tables[0]: unknown event \"upsert\""));
    }
}
