package dev.weft.postgres.changes;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One change stream: a database, the replication slot and publication Weft reads it through (both created
 * when missing), and the rules that turn row changes into publications.
 *
 * @param name             unique among change streams; names log lines and metrics
 * @param dsn              libpq URI ({@code postgresql://user:pass@host:port/db}) or JDBC URL; the user needs
 *                         the REPLICATION attribute (and CREATE on the database to create the publication)
 * @param slot             logical replication slot; default {@code weft_<name>}
 * @param publication      publication; default {@code weft_<name>}, created {@code FOR TABLE} the rules' tables
 * @param tables           the rules, at least one
 * @param lagWarnBytes     WAL the slot may hold back before a WARN is logged ({@code 0} = never warn)
 * @param lagCheckInterval how often the slot's lag is read
 * @param setup            statements run (each time it connects) before the publication is made, such as
 *                         {@code create table if not exists} of tables Weft itself brings (the dashboard demo's)
 */
public record ChangeStreamConfig(String name, String dsn, String slot, String publication, List<TableRule> tables,
                                 long lagWarnBytes, Duration lagCheckInterval, List<String> setup) {
    /** Slot and publication names: Postgres identifiers Weft never has to quote. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    public static final long DEFAULT_LAG_WARN_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_LAG_CHECK_INTERVAL = Duration.ofSeconds(10);

    public ChangeStreamConfig {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("name \"" + name + "\" must be lower-case letters, digits and _");
        }
        if (dsn == null || dsn.isBlank()) {
            throw new IllegalArgumentException("dsn is empty");
        }
        slot = slot == null || slot.isBlank() ? "weft_" + name : slot;
        publication = publication == null || publication.isBlank() ? "weft_" + name : publication;
        for (String identifier : List.of(slot, publication)) {
            if (!IDENTIFIER.matcher(identifier).matches()) {
                throw new IllegalArgumentException("\"" + identifier + "\" must be lower-case letters, digits and "
                        + "_ (a Postgres slot or publication name)");
            }
        }
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("tables is empty: a change stream needs at least one rule");
        }
        if (lagWarnBytes < 0) {
            throw new IllegalArgumentException("lag_warn_size must not be negative");
        }
        setup = setup == null ? List.of() : List.copyOf(setup);
        lagCheckInterval = lagCheckInterval == null || !lagCheckInterval.isPositive()
                ? DEFAULT_LAG_CHECK_INTERVAL : lagCheckInterval;
    }
}
