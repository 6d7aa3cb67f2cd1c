package dev.weft.postgres.changes;

import dev.weft.postgres.changes.PgOutputMessage.Begin;
import dev.weft.postgres.changes.PgOutputMessage.Commit;
import dev.weft.postgres.changes.PgOutputMessage.Delete;
import dev.weft.postgres.changes.PgOutputMessage.Insert;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import dev.weft.postgres.changes.PgOutputMessage.Truncate;
import dev.weft.postgres.changes.PgOutputMessage.Update;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decodes {@code pgoutput} messages captured from a real Postgres ({@code pgoutput/v1-golden.hex}, one message
 * in hex per line), as {@link PgOutputGoldenCapture} wrote them.
 */
class PgOutputGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/pgoutput/v1-golden.hex");

    @Test
    void decodesEveryMessageKindCapturedFromPostgres() throws IOException {
        List<PgOutputMessage> m = Files.readAllLines(GOLDEN).stream().filter(l -> !l.isBlank())
                .map(l -> PgOutputDecoder.decode(ByteBuffer.wrap(HexFormat.of().parseHex(l.strip())))).toList();

        Begin begin = (Begin) m.get(0);
        Relation golden = (Relation) m.get(1);
        assertThat(golden.qualifiedName()).isEqualTo("public.golden");
        assertThat(golden.replicaIdentity()).isEqualTo('f');
        assertThat(golden.columns()).extracting(PgOutputMessage.Column::name)
                .containsExactly("id", "name", "price", "seen", "tags", "body");
        assertThat(golden.columns()).extracting(PgOutputMessage.Column::typeOid)
                .containsExactly(23, 25, 1700, 16, 1009, 25);
        Insert insert = (Insert) m.get(2);
        assertThat(insert.relationId()).isEqualTo(golden.id());
        assertThat(insert.row().toString()).isEqualTo("(1, caf\u00e9 \"x\", 12.50, t, {a,b}, null)");
        Commit commit = (Commit) m.get(3);
        assertThat(commit.commitLsn()).isEqualTo(begin.finalLsn());
        assertThat(commit.endLsn()).isGreaterThan(commit.commitLsn());

        Update update = (Update) m.get(5);
        assertThat(update.oldIsKeyOnly()).isFalse();
        assertThat(update.old().toString()).isEqualTo("(1, caf\u00e9 \"x\", 12.50, t, {a,b}, null)");
        assertThat(update.row().toString()).isEqualTo("(1, tea, 12.50, f, {a,b}, null)");
        Delete delete = (Delete) m.get(8);
        assertThat(delete.oldIsKeyOnly()).isFalse();
        assertThat(delete.old().toString()).isEqualTo("(1, tea, 12.50, f, {a,b}, null)");

        Relation toasty = (Relation) m.get(11);
        assertThat(toasty.replicaIdentity()).isEqualTo('d');
        assertThat(toasty.columns()).extracting(PgOutputMessage.Column::key).containsExactly(true, false, false);
        Insert big = (Insert) m.get(12);
        assertThat(big.row().value(2)).hasSize(32 * 400);
        Update keep = (Update) m.get(15);
        assertThat(keep.old()).isNull();
        assertThat(keep.row().value(2)).isSameAs(TupleData.UNCHANGED);
        Update key = (Update) m.get(18);
        assertThat(key.oldIsKeyOnly()).isTrue();
        assertThat(key.old().toString()).isEqualTo("(7, null, null)");
        assertThat(new String(key.row().value(0), StandardCharsets.UTF_8)).isEqualTo("8");
        Delete keyDelete = (Delete) m.get(21);
        assertThat(keyDelete.oldIsKeyOnly()).isTrue();
        assertThat(keyDelete.old().toString()).isEqualTo("(8, null, null)");

        Truncate truncate = (Truncate) m.get(26);
        assertThat(truncate.relationIds()).containsExactlyInAnyOrder(golden.id(), toasty.id());
        assertThat(m).hasSize(28);
    }

    @Test
    void aCapturedMessageCutShortOrExtendedIsRefused() throws IOException {
        for (String line : Files.readAllLines(GOLDEN)) {
            byte[] bytes = HexFormat.of().parseHex(line.strip());
            assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.wrap(bytes, 0, bytes.length - 1)))
                    .isInstanceOf(PgOutputFormatException.class);
            byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.wrap(longer)))
                    .isInstanceOf(PgOutputFormatException.class).hasMessageContaining("after");
        }
    }
}
