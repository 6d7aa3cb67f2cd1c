package dev.weft.postgres.changes;

import dev.weft.store.postgres.PrivatePostgres;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Writes {@code pgoutput/v1-golden.hex} for {@link PgOutputGoldenTest}: runs {@link #SCRIPT} on a private
 * Postgres and records every message its slot sends. Not a test; run it again for another Postgres version
 * (from {@code weft-postgres/}, with the test classpath):
 * {@code java -cp target/test-classes:target/classes:<test classpath> dev.weft.postgres.changes.PgOutputGoldenCapture}.
 */
public final class PgOutputGoldenCapture {
    private static final String BIG = "repeat(md5('a'), 400)";
    private static final List<String> SCRIPT = List.of(
            "create table golden (id int primary key, name text, price numeric(8,2), seen boolean, "
                    + "tags text[], body text)",
            "alter table golden replica identity full",
            "create table toasty (id int primary key, n int, body text)",
            "alter table toasty alter column body set storage external",
            "create publication golden_pub for table golden, toasty",
            "select pg_create_logical_replication_slot('golden_slot', 'pgoutput')",
            "insert into golden values (1, 'caf\u00e9 \"x\"', 12.50, true, '{a,b}', null)",
            "update golden set name = 'tea', seen = false where id = 1",
            "delete from golden where id = 1",
            "insert into toasty values (7, 1, " + BIG + ")",
            "update toasty set n = 2 where id = 7",
            "update toasty set id = 8 where id = 7",
            "delete from toasty where id = 8",
            "truncate golden, toasty");

    private PgOutputGoldenCapture() {
    }

    public static void main(String[] args) throws Exception {
        try (PrivatePostgres postgres = new PrivatePostgres()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                for (String statement : SCRIPT) {
                    s.execute(statement);
                }
            }
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            PGProperty.REPLICATION.set(p, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
            PGProperty.PREFER_QUERY_MODE.set(p, "simple");
            List<String> lines = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url, p)) {
                PGReplicationStream stream = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                        .logical().withSlotName("golden_slot").withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", "golden_pub")
                        .withStatusInterval(1, TimeUnit.SECONDS).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    ByteBuffer b = stream.readPending();
                    if (b == null) {
                        Thread.sleep(10);
                        continue;
                    }
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    lines.add(HexFormat.of().formatHex(bytes));
                }
            }
            Files.write(PgOutputGoldenTest.GOLDEN, lines);
        }
    }
}
