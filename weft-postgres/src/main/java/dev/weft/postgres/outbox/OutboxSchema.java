package dev.weft.postgres.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The shipped DDL: {@code outbox.sql} (Centrifugo's outbox table, its notification trigger and
 * {@code weft_publish}) and the dead-letter table the consumer creates when it is missing. Stateless.
 */
public final class OutboxSchema {

    private OutboxSchema() {
    }

    /** The text of {@code outbox.sql}: run it once per database ({@code psql -f}); every statement is idempotent. */
    public static String outboxSql() {
        return resource("outbox.sql");
    }

    /** {@code CREATE TABLE IF NOT EXISTS} of the dead-letter table named {@code table}. */
    public static String deadLetterSql(String table) {
        if (!OutboxConfig.TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        return resource("dead_letter.sql").formatted(table);
    }

    private static String resource(String name) {
        try (InputStream in = OutboxSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
