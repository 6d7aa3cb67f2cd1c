package dev.weft.store.postgres;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The private server tests rely on: logical WAL, committed data kept across a kill and a stop. */
class PrivatePostgresTest {

    @Test
    void runsWithLogicalWalAndKeepsCommittedRowsAcrossKillAndStop() throws Exception {
        try (PrivatePostgres postgres = new PrivatePostgres()) {
            assertThat(query(postgres, "SHOW wal_level")).isEqualTo("logical");
            update(postgres, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)");

            postgres.kill();
            assertThatThrownBy(() -> query(postgres, "SELECT 1")).isInstanceOf(SQLException.class);
            postgres.start();
            update(postgres, "INSERT INTO t VALUES (2)");

            try (Connection held = connect(postgres)) { // a fast stop does not wait for open sessions
                postgres.stop();
                assertThat(held.isValid(1)).isFalse();
            }
            postgres.start();
            assertThat(query(postgres, "SELECT string_agg(v::text, ',' ORDER BY v) FROM t")).isEqualTo("1,2");
        }
    }

    private static Connection connect(PrivatePostgres postgres) throws SQLException {
        PostgresDsn dsn = PostgresDsn.parse(postgres.dsn());
        return DriverManager.getConnection(dsn.jdbcUrl(), dsn.properties());
    }

    private static String query(PrivatePostgres postgres, String sql) throws SQLException {
        try (Connection c = connect(postgres); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void update(PrivatePostgres postgres, String sql) throws SQLException {
        try (Connection c = connect(postgres); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
