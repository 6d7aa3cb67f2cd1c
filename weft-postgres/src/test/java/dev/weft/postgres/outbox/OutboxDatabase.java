package dev.weft.postgres.outbox;

import dev.weft.store.postgres.PostgresDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database with the shipped outbox DDL in a schema of the test's own: {@code dsn()} sets that schema as the
 * search path, so the consumer and {@code weft_publish} see only this test's tables.
 */
final class OutboxDatabase {
    final String dsn;
    final String schema;

    OutboxDatabase(String serverDsn, String schema) throws SQLException {
        this.schema = schema;
        this.dsn = serverDsn + (serverDsn.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        exec("CREATE SCHEMA IF NOT EXISTS " + schema);
        exec(OutboxSchema.outboxSql());
    }

    Connection connect() throws SQLException {
        PostgresDsn d = PostgresDsn.parse(dsn);
        return DriverManager.getConnection(d.jdbcUrl(), d.properties());
    }

    void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    OutboxConfig config(String name) {
        return OutboxConfig.of(name, dsn, "centrifugo_outbox");
    }
}
