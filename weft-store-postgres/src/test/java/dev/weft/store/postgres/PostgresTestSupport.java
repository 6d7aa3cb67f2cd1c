package dev.weft.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The machine's Postgres (127.0.0.1:5432, trust authentication, database {@code test}) for tests, each in a
 * schema of its own that it drops at the end; {@code WEFT_TEST_POSTGRES_DSN} points elsewhere. Shared with the
 * interop tests through this module's test-jar.
 */
public final class PostgresTestSupport {

    /** The database the tests use, in libpq URI form (what {@code docs.postgres.dsn} takes). */
    public static final String DSN = System.getenv().getOrDefault("WEFT_TEST_POSTGRES_DSN",
            "postgresql://postgres@127.0.0.1:5432/test");

    private PostgresTestSupport() {
    }

    /** A schema name no other test run uses. */
    public static String uniqueSchema() {
        return "weft_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Drops {@code schema} and everything in it. */
    public static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    /** Runs one statement on the test database. */
    public static void execute(String sql) throws SQLException {
        PostgresDsn dsn = PostgresDsn.parse(DSN);
        try (Connection connection = DriverManager.getConnection(dsn.jdbcUrl(), dsn.properties());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
