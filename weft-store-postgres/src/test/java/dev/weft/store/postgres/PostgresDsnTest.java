package dev.weft.store.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresDsnTest {

    @Test
    void libpqUriBecomesAJdbcUrlWithCredentialsAsProperties() {
        PostgresDsn dsn = PostgresDsn.parse("postgresql://weft:p%40ss:w+rd@db.example:6543/docs?sslmode=require");

        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/docs?sslmode=require");
        assertThat(dsn.properties()).containsEntry("user", "weft").containsEntry("password", "p@ss:w+rd");
        assertThat(dsn.toString()).doesNotContain("p@ss");
    }

    @Test
    void shortSchemeNoPortNoCredentialsAndIpv6AreAccepted() {
        assertThat(PostgresDsn.parse("postgres://localhost/test").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/test");
        assertThat(PostgresDsn.parse("postgres://localhost/test").properties()).isEmpty();
        assertThat(PostgresDsn.parse("postgresql://u@[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void jdbcUrlsPassUnchanged() {
        assertThat(PostgresDsn.parse("jdbc:postgresql://h:1/db?user=x").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/db?user=x");
    }

    @Test
    void otherSchemesAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> PostgresDsn.parse("mysql://h/db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PostgresDsn.parse(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://");
    }
}
